import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { UserModel } from '../auth/user.model';
import type { AccessClaims } from '../auth/tokens';
import { DocumentFileModel } from './file.model';
import { assertOwnFiles, ownedFileIds, signDocumentLinks } from './file.service';

let api: TestApi;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const pdfUrl = `data:application/pdf;base64,${PDF.toString('base64')}`;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  const u = await UserModel.findOne({ username }).lean();
  return { client: api.client(r.accessToken), claims: { sub: String(u!._id) } as AccessClaims };
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 50 });
});
afterAll(() => api.stop());

describe('documents', () => {
  it('keeps an upload durably, attachable only by its uploader, readable only through a signed link', async () => {
    const admin = await login('ent_admin');
    const other = await login('other_ent_admin');
    const up = await admin.client.files.upload.mutate({ purpose: 'enterprise_licence', name: '营业执照.pdf', dataUrl: pdfUrl });
    expect(up).toMatchObject({ name: '营业执照.pdf', mime: 'application/pdf', size: PDF.length });
    // Durable before acknowledged: it is in the database when the call returns.
    expect(await DocumentFileModel.countDocuments({ _id: up.id })).toBe(1);

    expect(await ownedFileIds([up.id], admin.claims.sub)).toEqual([up.id]);
    expect(await ownedFileIds([up.id], other.claims.sub)).toEqual([]);
    expect(await ownedFileIds([up.id], admin.claims.sub, 'application_doc')).toEqual([]);
    await expect(assertOwnFiles([up.id], other.claims.sub)).rejects.toThrow('附件不存在或不是您上传的，请重新上传');

    const [link] = await signDocumentLinks(api.services, admin.claims, [up.id]);
    const res = await fetch(`${api.url}${link.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('营业执照.pdf'));
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);

    // No token, a forged one, or one for another file: refused.
    expect((await fetch(`${api.url}/files/docs/${up.id}`)).status).toBe(401);
    expect((await fetch(`${api.url}/files/docs/${up.id}?token=abc`)).status).toBe(401);
    const second = await admin.client.files.upload.mutate({ purpose: 'enterprise_licence', name: 'b.pdf', dataUrl: pdfUrl });
    const token = new URL(link.url, 'http://x').searchParams.get('token');
    expect((await fetch(`${api.url}/files/docs/${second.id}?token=${token}`)).status).toBe(403);
  });

  it('refuses an executable renamed .pdf with a Chinese reason, and anonymous uploads', async () => {
    const admin = await login('ent_admin');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]).toString('base64');
    const err = await expectTrpcError(
      admin.client.files.upload.mutate({ purpose: 'application_doc', name: '房产证.pdf', dataUrl: `data:application/pdf;base64,${exe}` }),
      'BAD_REQUEST',
    );
    expect(err.message).toBe('文件内容是Windows 可执行程序，不是图片或 PDF，请上传证件照片或 PDF 文件');
    await expectTrpcError(api.client().files.upload.mutate({ purpose: 'application_doc', name: 'a.pdf', dataUrl: pdfUrl }), 'UNAUTHORIZED');
  });

  it('takes a 10 MB PDF through the HTTP edge', async () => {
    const admin = await login('ent_finance');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 - 20, 0x20), Buffer.from('\n%%EOF\n')]);
    const up = await admin.client.files.upload.mutate({
      purpose: 'message_attachment',
      name: 'big.pdf',
      dataUrl: `data:application/pdf;base64,${big.toString('base64')}`,
    });
    expect(up.size).toBe(big.length);
  });
});
