/**
 * The placeholder home page, served when the web app is not built: what
 * Watchfloor is, what is loaded, where the API is, and how to build the
 * app. Vietnamese by default, English with ?lang=en. Everything is inline:
 * no external font, script or stylesheet.
 */
export type Lang = 'vi' | 'en';

const TEXT = {
  vi: {
    title: 'Watchfloor — Trung tâm điều hành giám sát thông minh',
    lead: 'Một bức tranh toàn diện, trực tuyến về tình hình của tỉnh: chỉ tiêu kinh tế – xã hội so với kế hoạch, hồ sơ thủ tục hành chính, phản ánh hiện trường, quan trắc môi trường và cảnh báo.',
    loaded: 'Dữ liệu đã nạp',
    provinces: 'tỉnh, thành phố (trước và sau 1/7/2025)',
    districts: 'quận, huyện (đến 30/6/2025)',
    communes: 'xã, phường, đặc khu (trước và sau 1/7/2025)',
    boundaries: 'ranh giới',
    lineage: 'quan hệ sáp nhập, chia tách',
    organisations: 'cơ quan, đơn vị (danh sách minh họa)',
    indicators: 'chỉ tiêu',
    observations: 'số liệu',
    ex5: 'Tổng quan tỉnh Vĩnh Long tháng trước: giá trị, kế hoạch, cùng kỳ, trạng thái',
    ex6: 'Xếp hạng PCI 2016 của 63 tỉnh, thành phố',
    api: 'Giao diện lập trình (API)',
    docs: 'Tài liệu API (OpenAPI)',
    examples: 'Ví dụ',
    ex1: 'Tỉnh Trà Vinh ngày 1/1/2020 và 9 huyện',
    ex2: 'Tỉnh Vĩnh Long hôm nay và 124 xã, phường',
    ex3: 'Phường Trà Vinh được hình thành từ đâu',
    ex4: 'Điểm này thuộc xã, phường nào',
    switch: 'English',
    database: 'Cơ sở dữ liệu',
    soon: 'Trang này thay cho ứng dụng web khi ứng dụng chưa được dựng: chạy `npm run build:web` (hoặc `npm start`, lệnh tự dựng khi cần) rồi tải lại trang.',
  },
  en: {
    title: 'Watchfloor — Intelligent Operations Center',
    lead: "One live, comprehensive view of the province: socio-economic indicators against plan, public-service dossiers, citizen field reports, environment sensors and alerts.",
    loaded: 'Loaded data',
    provinces: 'provinces and cities (before and after 1 July 2025)',
    districts: 'districts (until 30 June 2025)',
    communes: 'communes and wards (before and after 1 July 2025)',
    boundaries: 'boundaries',
    lineage: 'merge and split links',
    organisations: 'agencies (demo list)',
    indicators: 'indicators',
    observations: 'figures',
    ex5: 'Overview of Vĩnh Long last month: value, plan, last year, status',
    ex6: 'PCI 2016 ranking of the 63 provinces',
    api: 'API',
    docs: 'API documentation (OpenAPI)',
    examples: 'Examples',
    ex1: 'Trà Vinh province on 1 January 2020, with its 9 districts',
    ex2: 'Vĩnh Long province today, with its 124 communes and wards',
    ex3: 'What Phường Trà Vinh was formed from',
    ex4: 'Which ward contains this point',
    switch: 'Tiếng Việt',
    database: 'Database',
    soon: 'This page stands in for the web app, which is not built yet: run `npm run build:web` (or `npm start`, which builds it when needed) and reload.',
  },
} as const;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface HomeFacts {
  /** The notice shown while the demo data set is loaded. */
  synthetic: { vi: string; en: string } | null;
  indicators: number;
  observations: number;
  version: string;
  database: string;
  places: Record<string, number>;
  geometries: number;
  lineageEdges: number;
  organisations: number;
}

export function renderHome(lang: Lang, f: HomeFacts): string {
  const t = TEXT[lang];
  const n = (x: number | undefined) => (x ?? 0).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');
  const other = lang === 'vi' ? 'en' : 'vi';
  const link = (href: string, label: string) => `<li><a href="${esc(href)}">${esc(label)}</a> <code>${esc(href)}</code></li>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
  body { margin: 0; background: #0f172a; color: #e2e8f0; }
  header { padding: 1.5rem 2rem; background: #1e293b; border-bottom: 3px solid #dc2626; display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
  h1 { margin: 0; font-size: 1.5rem; }
  main { padding: 1.5rem 2rem; max-width: 60rem; }
  a { color: #93c5fd; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
  .grid li { background: #1e293b; border-radius: .5rem; padding: 1rem; }
  .grid strong { display: block; font-size: 1.75rem; color: #f8fafc; }
  code { color: #94a3b8; font-size: .85em; }
  .notice { background: #78350f; color: #fef3c7; padding: .75rem 1rem; border-radius: .5rem; }
  footer { padding: 1rem 2rem; color: #94a3b8; font-size: .9rem; }
</style>
</head>
<body>
<header><h1>${esc(t.title)}</h1><a href="/?lang=${other}" lang="${other}">${esc(t.switch)}</a></header>
<main>
<p>${esc(t.lead)}</p>
<p><em>${esc(t.soon)}</em></p>
${f.synthetic ? `<p class="notice" role="note">${esc(f.synthetic[lang])}</p>` : ''}
<h2>${esc(t.loaded)}</h2>
<ul class="grid">
  <li><strong>${n(f.places.province)}</strong>${esc(t.provinces)}</li>
  <li><strong>${n(f.places.district)}</strong>${esc(t.districts)}</li>
  <li><strong>${n(f.places.commune)}</strong>${esc(t.communes)}</li>
  <li><strong>${n(f.geometries)}</strong>${esc(t.boundaries)}</li>
  <li><strong>${n(f.lineageEdges)}</strong>${esc(t.lineage)}</li>
  <li><strong>${n(f.organisations)}</strong>${esc(t.organisations)}</li>
  <li><strong>${n(f.indicators)}</strong>${esc(t.indicators)}</li>
  <li><strong>${n(f.observations)}</strong>${esc(t.observations)}</li>
</ul>
<h2>${esc(t.api)}</h2>
<ul><li><a href="/api/docs">${esc(t.docs)}</a></li></ul>
<h3>${esc(t.examples)}</h3>
<ul>
${link('/api/places/84?at=2020-01-01', t.ex1)}
${link('/api/places/86', t.ex2)}
${link('/api/places/29242/lineage', t.ex3)}
${link('/api/places/locate?lat=9.9063&lon=106.3419', t.ex4)}
${link('/api/overview?place=86', t.ex5)}
${link('/api/rankings?indicator=PCI&period=2016&level=province&at=2016-12-31', t.ex6)}
</ul>
</main>
<footer>Watchfloor ${esc(f.version)} · ${esc(t.database)}: ${esc(f.database)}</footer>
</body>
</html>`;
}
