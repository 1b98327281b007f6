/** The test stack's addresses (api/scripts/stack.ts --mode test) and helpers that read from it directly. */
export const URLS = {
  web: 'http://127.0.0.1:3100',
  h5: 'http://127.0.0.1:10186',
  api: 'http://127.0.0.1:4100',
  wechat: 'http://127.0.0.1:4110',
};

export const DEMO = {
  password: 'Demo@12345',
  residentPhone: '13800000001',
  bindable: { number: '3101000000001', holderName: '张建国', masked: '张*国' },
};

/** The latest SMS code sent to a phone, read from the development outbox through the API. */
export async function latestSmsCode(phone: string, after = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const input = encodeURIComponent(JSON.stringify({ phone }));
    const res = await fetch(`${URLS.api}/trpc/dev.smsOutbox?input=${input}`);
    const body = (await res.json()) as { result: { data: { text: string; createdAt: string }[] } };
    const msg = body.result.data.find((m) => Date.parse(m.createdAt) >= after);
    const code = msg?.text.match(/\d{6}/)?.[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no SMS code for ${phone}`);
}
