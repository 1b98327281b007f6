import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors';
import { cleanFileName, decodeDocumentDataUrl, MAX_DOC_BYTES, sniffDocument } from './file.rules';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).message;
  }
  throw new Error('expected a refusal');
};

describe('document content checks', () => {
  it('knows images and PDFs by their bytes', () => {
    expect(sniffDocument(PNG)).toBe('image/png');
    expect(sniffDocument(PDF)).toBe('application/pdf');
    expect(sniffDocument(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
  });

  it('refuses an executable renamed .pdf, saying what it is', () => {
    expect(refusal(() => decodeDocumentDataUrl(`data:application/pdf;base64,${EXE.toString('base64')}`))).toBe(
      '文件内容是Windows 可执行程序，不是图片或 PDF，请上传证件照片或 PDF 文件',
    );
    expect(refusal(() => sniffDocument(Buffer.from('\x7fELF\x02\x01\x01', 'latin1')))).toMatch(/可执行程序/);
    expect(refusal(() => sniffDocument(Buffer.from('#!/bin/sh\nrm -rf /\n')))).toMatch(/脚本文件/);
    expect(refusal(() => sniffDocument(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')))).toMatch(/SVG/);
    expect(refusal(() => sniffDocument(Buffer.from('PK\x03\x04rest', 'latin1')))).toMatch(/压缩包/);
  });

  it('refuses a truncated PDF, plain text, empty and oversized files', () => {
    expect(refusal(() => sniffDocument(Buffer.from('%PDF-1.7\n1 0 obj', 'latin1')))).toMatch(/不完整/);
    expect(refusal(() => sniffDocument(Buffer.from('just some text')))).toMatch(/不是图片或 PDF/);
    expect(refusal(() => sniffDocument(Buffer.alloc(0)))).toMatch(/为空/);
    expect(refusal(() => sniffDocument(Buffer.concat([PDF, Buffer.alloc(MAX_DOC_BYTES)])))).toBe('单个文件不能超过10MB');
    const big = Buffer.alloc(MAX_DOC_BYTES + 3).toString('base64');
    expect(refusal(() => decodeDocumentDataUrl(`data:application/pdf;base64,${big}`))).toBe('单个文件不能超过10MB');
    expect(refusal(() => decodeDocumentDataUrl('not a data url'))).toMatch(/格式不正确/);
  });

  it('trusts the bytes over the declared type', () => {
    expect(decodeDocumentDataUrl(`data:image/jpeg;base64,${PDF.toString('base64')}`).mime).toBe('application/pdf');
  });

  it('names files safely, with the extension of what they really are', () => {
    expect(cleanFileName('C:\\Users\\me\\营业执照.exe', 'application/pdf')).toBe('营业执照.pdf');
    expect(cleanFileName('../../etc/"passwd"', 'image/png')).toBe('passwd.png');
    expect(cleanFileName('   ', 'image/jpeg')).toBe('文件.jpg');
    expect(cleanFileName('租赁合同', 'application/pdf')).toBe('租赁合同.pdf');
  });
});
