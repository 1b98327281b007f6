'use client';

import { Alert, App, Button, Card, Input, Space } from 'antd';
import { useState } from 'react';
import { t } from '@/lib/i18n';
import { AgentAssist, useStyleGate } from './AgentAssist';

const T = t.knowledge.agent;

/** Screen-pop: what the agent is about to tell the caller, built from the base and the standard phrases, checked for style. */
export function CallAssist() {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [ok, setOk] = useState(false);
  const style = useStyleGate();
  const check = async () => {
    setOk(false);
    if (text.trim() && (await style.check(text.trim()))) setOk(true);
  };
  return (
    <Card size="small" title={T.callTitle} data-testid="call-assist">
      <Input.TextArea
        rows={3}
        maxLength={2000}
        value={text}
        aria-label={T.draft}
        placeholder={T.draftPlaceholder}
        onChange={(e) => {
          setText(e.target.value);
          setOk(false);
          style.reset();
        }}
      />
      {style.banner(text.trim(), () => setOk(true))}
      {ok && <Alert type="success" showIcon title={T.checkOk} style={{ marginTop: 8 }} />}
      <Space style={{ marginTop: 8 }}>
        <Button onClick={check}>{T.check}</Button>
        <Button
          onClick={async () => {
            await navigator.clipboard?.writeText(text);
            message.success(T.copied);
          }}
          disabled={!text}
        >
          {T.copy}
        </Button>
      </Space>
      <AgentAssist
        onInsert={(s) => {
          setText((prev) => (prev.trim() ? `${prev}${s}` : s));
          setOk(false);
        }}
      />
    </Card>
  );
}
