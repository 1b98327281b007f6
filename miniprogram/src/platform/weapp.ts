import Taro from '@tarojs/taro';
import { PlatformError, type JsapiPayParams, type PhoneCodeInput, type PickedPhoto, type PlatformAdapter } from './types';
import { chooseWithTaro } from './photos';

export const weappPlatform: PlatformAdapter = {
  name: 'weapp',
  phoneInput: 'wechat-button',

  async login() {
    const res = await Taro.login();
    if (!res.code) throw new PlatformError('failed', res.errMsg || 'wx.login failed');
    return res.code;
  },

  async getPhoneCode(input: PhoneCodeInput) {
    if (input.kind !== 'event') throw new PlatformError('unsupported', 'weapp needs the getPhoneNumber button event');
    const detail = input.event.detail ?? {};
    if (detail.code) return detail.code;
    if (detail.errMsg && /deny|cancel/i.test(detail.errMsg)) throw new PlatformError('denied', detail.errMsg);
    throw new PlatformError('failed', detail.errMsg || 'getPhoneNumber failed');
  },

  choosePhotos(count: number) {
    return chooseWithTaro(count);
  },

  async readPhotoDataUrl(photo: PickedPhoto) {
    const base64 = await new Promise<string>((resolve, reject) => {
      Taro.getFileSystemManager().readFile({
        filePath: photo.path,
        encoding: 'base64',
        success: (r) => resolve(String(r.data)),
        fail: (e) => reject(new PlatformError('failed', e.errMsg || 'readFile failed')),
      });
    });
    return `data:${photo.mime ?? 'image/jpeg'};base64,${base64}`;
  },

  async requestPayment(params: JsapiPayParams) {
    try {
      await Taro.requestPayment({
        timeStamp: params.timeStamp,
        nonceStr: params.nonceStr,
        package: params.package,
        signType: params.signType,
        paySign: params.paySign,
      });
    } catch (e) {
      const msg = String((e as { errMsg?: string })?.errMsg ?? e);
      // "requestPayment:fail cancel" when the payer closes the sheet.
      if (/cancel/i.test(msg)) throw new PlatformError('cancelled', msg);
      throw new PlatformError('failed', msg);
    }
  },

  async openDocument(url: string) {
    let filePath: string;
    try {
      const res = await Taro.downloadFile({ url });
      // downloadFile "succeeds" on any HTTP status: an expired link answers 401 with a JSON body.
      if (res.statusCode !== 200) throw new PlatformError('failed', `download HTTP ${res.statusCode}`);
      filePath = res.tempFilePath;
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      throw new PlatformError('failed', String((e as { errMsg?: string })?.errMsg ?? e));
    }
    try {
      await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true });
    } catch (e) {
      throw new PlatformError('failed', String((e as { errMsg?: string })?.errMsg ?? e));
    }
  },
};
