/**
 * DOM stand-ins for @tarojs/components (tests only). Events are shaped like Taro's:
 * Input → onInput({ detail: { value } }), Button/View → onClick.
 */
import type { ReactNode } from 'react';

interface BaseProps {
  id?: string;
  className?: string;
  children?: ReactNode;
  onClick?: (e: unknown) => void;
  style?: Record<string, string | number>;
  role?: string;
  'aria-label'?: string;
  'aria-checked'?: boolean;
}

/** Accessibility attributes pass through, as Taro H5 renders them. */
const a11y = (p: BaseProps) => ({ role: p.role, 'aria-label': p['aria-label'], 'aria-checked': p['aria-checked'] });

export function View(p: BaseProps) {
  return (
    <div id={p.id} className={p.className} onClick={p.onClick} style={p.style} {...a11y(p)}>
      {p.children}
    </div>
  );
}

export function Text(p: BaseProps) {
  return (
    <span id={p.id} className={p.className} onClick={p.onClick} {...a11y(p)}>
      {p.children}
    </span>
  );
}

interface ButtonProps extends BaseProps {
  disabled?: boolean;
  loading?: boolean;
  openType?: string;
  onGetPhoneNumber?: (e: unknown) => void;
}

export function Button({ id, className, children, onClick, disabled }: ButtonProps) {
  return (
    <button id={id} className={className} disabled={disabled} onClick={onClick} type="button">
      {children}
    </button>
  );
}

interface InputProps {
  id?: string;
  className?: string;
  type?: string;
  value?: string;
  placeholder?: string;
  maxlength?: number;
  onInput?: (e: { detail: { value: string } }) => void;
  onConfirm?: (e: { detail: { value: string } }) => void;
}

export function Input({ id, className, type, value, placeholder, maxlength, onInput, onConfirm }: InputProps) {
  return (
    <input
      id={id}
      className={className}
      type={type === 'number' ? 'text' : type}
      inputMode={type === 'number' ? 'numeric' : undefined}
      value={value}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onConfirm?.({ detail: { value: (e.target as HTMLInputElement).value } });
      }}
    />
  );
}

interface TextareaProps {
  id?: string;
  className?: string;
  value?: string;
  placeholder?: string;
  maxlength?: number;
  onInput?: (e: { detail: { value: string } }) => void;
}

export function Textarea({ id, className, value, placeholder, maxlength, onInput }: TextareaProps) {
  return (
    <textarea
      id={id}
      className={className}
      value={value}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  );
}

export function Image({ className, src }: { className?: string; src?: string; mode?: string }) {
  return <img className={className} src={src} alt="" />;
}
