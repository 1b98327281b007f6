/**
 * Platform adapter: everything that differs between the real WeChat runtime (weapp)
 * and the H5 build (which talks to the local WeChat simulator instead).
 * Payment: `requestPayment` (wx.requestPayment on weapp; the WeChat Pay simulator on H5).
 */

/** The `getPhoneNumber` button event of WeChat (`e.detail.code`, base library ≥ 2.21.2). */
export interface PhoneNumberEvent {
  detail?: { code?: string; errMsg?: string; errno?: number };
}

export type PhoneCodeInput =
  /** weapp: the event of `<Button openType="getPhoneNumber">` */
  | { kind: 'event'; event: PhoneNumberEvent }
  /** h5: the phone typed into the small simulator form */
  | { kind: 'phone'; phone: string };

/** An image the user picked, before it is read or uploaded. */
export interface PickedPhoto {
  /** Local path for previews (weapp temp file; a blob: URL on H5). */
  path: string;
  size: number;
  /** Mime type as reported (H5) or guessed from the file name (weapp); null when unknown. */
  mime: string | null;
}

/** The parameters of wx.requestPayment, as billing.createPayment returns them (`jsapiParams`). */
export interface JsapiPayParams {
  appId?: string;
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=…` */
  package: string;
  signType: 'RSA' | 'MD5' | 'HMAC-SHA256';
  paySign: string;
}

/** What the app knows about the payment besides the WeChat parameters (the H5 simulator pays by out_trade_no). */
export interface PaymentContext {
  paymentId: string;
  outTradeNo: string;
}

export interface PlatformAdapter {
  readonly name: 'weapp' | 'h5';
  /** How the UI should obtain a phone code: the native WeChat button, or a small form. */
  readonly phoneInput: 'wechat-button' | 'form';
  /** A fresh single-use login code (wx.login on weapp; simulator on h5). */
  login(): Promise<string>;
  /** A phone-number code for auth.wechatPhone. Rejects with PlatformError('denied') when the user refuses. */
  getPhoneCode(input: PhoneCodeInput): Promise<string>;
  /** Up to `count` images from the album or camera (Taro.chooseImage). Resolves [] when the user cancels. */
  choosePhotos(count: number): Promise<PickedPhoto[]>;
  /** The picked image as a `data:image/...;base64,` URL (for workorder.uploadPhoto). */
  readPhotoDataUrl(photo: PickedPhoto): Promise<string>;
  /**
   * Shows the WeChat Pay sheet (weapp) or the Pay simulator's cashier sheet, which pays there (h5).
   * Resolving settles nothing: the caller polls billing.paymentStatus. Rejects with
   * PlatformError('cancelled') when the payer closes the sheet, PlatformError('failed') otherwise.
   */
  requestPayment(params: JsapiPayParams, ctx: PaymentContext): Promise<void>;
  /**
   * Shows a PDF (receipt) from a signed download URL: wx.downloadFile + wx.openDocument on weapp
   * (the URL's domain must be a downloadFile legal domain); a browser download on H5.
   * Rejects with PlatformError('failed') when the file cannot be fetched or opened.
   */
  openDocument(url: string): Promise<void>;
}

export class PlatformError extends Error {
  constructor(
    readonly reason: 'denied' | 'failed' | 'unsupported' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}
