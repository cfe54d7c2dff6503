import { describe, expect, it } from 'vitest';
import { monthEndsBefore, nextMonthEnd, previousMonthEnd } from '../../src/lib/dates/month-ends';

describe('month-ends, the as-of control steps between them', () => {
  it('the previous month-end is strictly before the date, the next strictly after', () => {
    expect(previousMonthEnd('2026-03-15')).toBe('2026-02-28');
    expect(previousMonthEnd('2026-03-31')).toBe('2026-02-28');
    expect(previousMonthEnd('2026-01-01')).toBe('2025-12-31');
    expect(previousMonthEnd('2024-03-31')).toBe('2024-02-29'); // leap year
    expect(nextMonthEnd('2026-01-31')).toBe('2026-02-28');
    expect(nextMonthEnd('2026-02-27')).toBe('2026-02-28');
    expect(nextMonthEnd('2025-12-31')).toBe('2026-01-31');
    expect(nextMonthEnd('2024-02-01')).toBe('2024-02-29');
  });

  it('lists the month-ends before a date, latest first, stopping at the earliest date', () => {
    expect(monthEndsBefore('2026-10-31', 3)).toEqual(['2026-09-30', '2026-08-31', '2026-07-31']);
    expect(monthEndsBefore('2026-03-10', 4, '2025-12-15')).toEqual(['2026-02-28', '2026-01-31', '2025-12-31']);
    expect(monthEndsBefore('2026-03-10', 0)).toEqual([]);
  });
});
