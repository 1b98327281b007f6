/**
 * Platform adapter: everything that differs between the real WeChat runtime (weapp)
 * and the H5 build (which talks to the local WeChat simulator instead).
 * Payment (`requestPayment`) is meant to join this interface later.
 */

/** The `getPhoneNumber` button event of WeChat (`e.detail.code`, base library ≥ 2.21.2). */
export interface PhoneNumberEvent {
  detail?: { code?: string; errMsg?: string; errno?: number }
}

export type PhoneCodeInput =
  /** weapp: the event of `<Button openType="getPhoneNumber">` */
  | { kind: 'event'; event: PhoneNumberEvent }
  /** h5: the phone typed into the small simulator form */
  | { kind: 'phone'; phone: string }

export interface PlatformAdapter {
  readonly name: 'weapp' | 'h5'
  /** How the UI should obtain a phone code: the native WeChat button, or a small form. */
  readonly phoneInput: 'wechat-button' | 'form'
  /** A fresh single-use login code (wx.login on weapp; simulator on h5). */
  login(): Promise<string>
  /** A phone-number code for auth.wechatPhone. Rejects with PlatformError('denied') when the user refuses. */
  getPhoneCode(input: PhoneCodeInput): Promise<string>
}

export class PlatformError extends Error {
  constructor(
    readonly reason: 'denied' | 'failed' | 'unsupported',
    message: string,
  ) {
    super(message)
    this.name = 'PlatformError'
  }
}
