import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, nextFrames, screenshot, signInAs } from './support';

const PHONE = { width: 390, height: 844 };

/**
 * An hourly PM2.5 export in the AirNow DOS layout, local time (UTC+7): 10 June
 * 2026 from 00:00 to 17:00, the reading at hour h being 20 + h µg/m³; then
 * hour 05 written again with another value (refused, the first stands) and
 * hour 20 at 1200.5 (above the indicator's 0 … 1000, refused). 18 of the
 * day's 24 hours: the day gets its mean.
 */
const HEADER = 'Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,Raw Conc.,Conc. Unit,Duration,QC Name';
const line = (hour: number, value: number) => {
  const hh = String(hour).padStart(2, '0');
  return `Tra Vinh,PM2.5 - Principal,2026-06-10 ${hh}:00,2026,06,10,${hh},${value},0,Good,${value},UG/M3,1 Hr,Valid`;
};
const HOURS = Array.from({ length: 18 }, (_, h) => h);
const EXPORT = [HEADER, ...HOURS.map((h) => line(h, 20 + h)), line(5, 60), line(20, 1200.5)].join('\r\n') + '\r\n';

describe.skipIf(browserMissing)('a sensor export uploaded on the data desk, at phone width', () => {
  const session = browserSession();

  it('stores the hourly readings from the screen, shows the refused lines with their reasons and the daily figure written', async () => {
    const { server, page } = session();
    const steward = await apiSignIn(server, 'demo.steward');
    const source = await steward.call('api/sources', {
      method: 'POST',
      body: { code: 'E2E-AIR', name: 'Trạm không khí Trà Vinh (tệp)', kind: 'file', ownerOrganisationCode: 'UBND-29242', mapping: { sensors: { stations: { 'Tra Vinh': 'E2E-TV' }, datastreams: { 'PM2.5 - Principal': 'pm25' } } } },
    });
    expect(source.status, await source.text()).toBe(201);
    const station = await steward.call('api/stations', {
      method: 'POST',
      body: { code: 'E2E-TV', name: 'Trạm Phường Trà Vinh', lat: 9.9063, lon: 106.3419, source: 'E2E-AIR', datastreams: [{ code: 'pm25', indicator: 'ENV_PM25', unit: 'µg/m³' }] },
    });
    expect(station.status, await station.text()).toBe(201);

    await signInAs(session(), 'demo.steward');
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}desk/data?source=E2E-AIR`);
    const upload = page.getByTestId('readings-upload');
    await upload.waitFor();
    // No preview for this channel: the panel says the file is stored on upload.
    expect(await upload.textContent()).toContain('Tệp được ghi ngay khi tải lên');
    expect(await upload.getByRole('button', { name: 'Kiểm tra' }).count()).toBe(0);
    await upload.locator('input[name="file"]').setInputFiles({ name: 'tra-vinh-2026-06-10.csv', mimeType: 'text/csv', buffer: Buffer.from(EXPORT, 'utf8') });
    await upload.getByRole('button', { name: 'Tải lên và ghi' }).click();

    const done = page.getByTestId('readings-committed');
    await done.waitFor();
    expect(await done.getByTestId('ingest-summary').textContent()).toContain('Đã nhận 18/20 dòng (18 mới, 0 sửa đổi, 0 không đổi). 2 dòng bị từ chối.');
    expect(await done.getByTestId('readings-figures').textContent()).toBe('Đã ghi 1 giá trị trung bình ngày.');
    const rejected = await done.locator('[data-testid="readings-rejected"] tbody tr').allTextContents();
    // Hour 05 again is the file's line 20, hour 20 its line 21 (the header is line 1).
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatch(/^20Trùng thời điểm với một số đo đã có nhưng khác giá trị/);
    expect(rejected[1]).toMatch(/^21Giá trị lớn hơn mức hợp lệ/);
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'desk-sensor-upload-phone');

    // Stored: the 18 hours, each at its UTC instant (local hour h is h - 7 UTC), hour 05 with its first value.
    const res = await steward.call('api/stations/E2E-TV/readings?datastream=pm25');
    expect(res.status).toBe(200);
    const { readings } = (await res.json()) as { readings: { datastream: string; at: string; value: number }[] };
    const stored = readings.map((r) => ({ at: new Date(r.at).toISOString(), value: r.value })).sort((a, b) => a.at.localeCompare(b.at));
    expect(stored).toEqual(HOURS.map((h) => ({ at: new Date(Date.UTC(2026, 5, 10, h - 7)).toISOString(), value: 20 + h })));
  });
});
