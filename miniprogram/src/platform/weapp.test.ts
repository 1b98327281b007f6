import Taro from '@tarojs/taro';
import { describe, expect, it, vi } from 'vitest';
import { PlatformError } from './types';
import { weappPlatform } from './weapp';

describe('weapp openDocument', () => {
  const url = 'https://api.example.cn/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf?token=a.b.c';

  it('downloads the PDF and opens it with the share menu', async () => {
    await weappPlatform.openDocument(url);
    expect(Taro.downloadFile).toHaveBeenCalledWith({ url });
    expect(Taro.openDocument).toHaveBeenCalledWith({ filePath: 'wxfile://tmp/receipt.pdf', fileType: 'pdf', showMenu: true });
  });

  it('fails on an expired link (downloadFile resolves with 401) without opening anything', async () => {
    vi.mocked(Taro.openDocument).mockClear();
    vi.mocked(Taro.downloadFile).mockResolvedValueOnce({ statusCode: 401, tempFilePath: 'wxfile://tmp/x', errMsg: 'downloadFile:ok' } as never);
    await expect(weappPlatform.openDocument(url)).rejects.toBeInstanceOf(PlatformError);
    expect(Taro.openDocument).not.toHaveBeenCalled();
  });
});
