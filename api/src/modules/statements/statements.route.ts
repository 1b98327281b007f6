/** GET /files/statements/* — statement PDF/CSV, bills CSV and VAT invoice PDFs behind 5-minute signed links. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileToken, refuseFile } from '../../http/file-links';
import type { AppServices, RawRoute } from '../../http/types';
import { DomainError } from '../../lib/errors';
import { DocumentError } from '../billing/documents.pdf';
import { attachmentDisposition } from '../billing/documents.rules';
import { claimsOfUser, serveStatementDoc } from './statement.service';
import { parseVatInvoicePath, renderVatInvoice } from './vat-invoice.service';

type Services = Pick<AppServices, 'cfg' | 'keys' | 'log'>;

async function serveVatInvoice(services: Services, req: IncomingMessage, res: ServerResponse, pathname: string, id: string) {
  const claims = await readFileToken(services, req, res, (c) => c.doc === pathname);
  if (!claims) return;
  const user = await claimsOfUser(String(claims.sub ?? ''));
  if (!user) return refuseFile(res, 403, '无权下载该文件');
  let doc: Awaited<ReturnType<typeof renderVatInvoice>>;
  try {
    doc = await renderVatInvoice(services.cfg, user, id);
  } catch (err) {
    if (err instanceof DocumentError) return refuseFile(res, err.status, err.message);
    if (err instanceof DomainError) return refuseFile(res, err.code === 'NOT_FOUND' ? 404 : 403, err.message);
    throw err;
  }
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': doc.pdf.length,
    'content-disposition': attachmentDisposition(doc.fileName, doc.asciiName),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(doc.pdf);
}

export function statementRawRoutes(services: Services): Record<string, RawRoute> {
  return {
    'GET /files/statements/*': (req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const id = parseVatInvoicePath(pathname);
      return id ? serveVatInvoice(services, req, res, pathname, id) : serveStatementDoc(services, req, res);
    },
  };
}
