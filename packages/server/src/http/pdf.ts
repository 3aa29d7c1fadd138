import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AppError } from '@watchfloor/core';

declare module 'fastify' {
  interface FastifyInstance {
    /** Prints PDFs (exports, reports) with the configured Chromium. */
    pdf: PdfPrinter;
  }
}

/**
 * PDFs printed by headless Chromium (driven by playwright-core) from a
 * self-contained HTML page the server wrote: the page runs no script and
 * every request it would make is refused, so nothing is fetched from the
 * network or the disk. One browser per document, closed as soon as the
 * document is printed; at most two print at once, the others wait their
 * turn. Without Chromium at the configured path (WATCHFLOOR_CHROMIUM) a
 * PDF is refused with `pdf_unavailable`, never answered as a broken file.
 */

/** Browsers printing at the same time; further documents wait. */
const AT_ONCE = 2;

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-extensions'];

export interface PrintOptions {
  /** Wide tables print across the page. */
  landscape?: boolean;
}

export class PdfPrinter {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly executable: string) {}

  /** Whether a PDF can be printed here (Chromium is where the configuration says). */
  available(): boolean {
    return existsSync(this.executable);
  }

  /** The refusal when it cannot. */
  unavailable(): AppError {
    return new AppError('pdf_unavailable', 'PDF printing needs Chromium on the server (WATCHFLOOR_CHROMIUM), and it is not installed there.');
  }

  /** The page as an A4 PDF, page numbers at the foot. */
  async print(html: string, options: PrintOptions = {}): Promise<Buffer> {
    if (!this.available()) throw this.unavailable();
    await this.turn();
    try {
      const browser = await chromium.launch({ executablePath: this.executable, args: LAUNCH_ARGS }).catch((err: unknown) => {
        throw new AppError('pdf_unavailable', 'Chromium could not be started to print the PDF.', { reason: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      });
      try {
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
        const page = await context.newPage();
        await page.route('**/*', (route) => route.abort('blockedbyclient'));
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4',
          landscape: options.landscape ?? false,
          printBackground: true,
          margin: { top: '18mm', bottom: '18mm', left: '20mm', right: '15mm' },
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: '<div style="font-size:8pt;width:100%;text-align:center;color:#555"><span class="pageNumber"></span>/<span class="totalPages"></span></div>',
        });
      } finally {
        await browser.close();
      }
    } finally {
      this.release();
    }
  }

  private async turn(): Promise<void> {
    if (this.running < AT_ONCE) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  /** Hands the slot to the next waiting document, or frees it. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}
