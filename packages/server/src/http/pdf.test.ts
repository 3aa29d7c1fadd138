import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfPrinter } from './pdf';
import { pdfMissing, pdfText } from './pdf-testing';
import { escapeHtml, printPage } from './print';

describe.skipIf(pdfMissing)('the PDF printer', () => {
  let server: Server;
  let origin = '';
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.end('body { color: red }');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('prints the page it is given and fetches nothing the page names: no style sheet, image, font or frame', async () => {
    const body =
      `<link rel="stylesheet" href="${origin}/style.css"><img src="${origin}/logo.png"><iframe src="${origin}/frame"></iframe>` +
      `<style>@font-face { font-family: X; src: url(${origin}/font.woff2) } p { font-family: X }</style><p>Báo cáo ${escapeHtml('<không có script>')}</p>`;
    const file = await new PdfPrinter(process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium').print(printPage('Thử', 'vi', body));
    expect(pdfText(file).text).toContain('Báo cáo <không có script>');
    expect(asked).toEqual([]);
  });
});

describe('without Chromium', () => {
  it('refuses with pdf_unavailable before starting anything', async () => {
    const printer = new PdfPrinter('/nonexistent/chromium');
    expect(printer.available()).toBe(false);
    await expect(printer.print('<p>x</p>')).rejects.toMatchObject({ code: 'pdf_unavailable', status: 503 });
  });
});
