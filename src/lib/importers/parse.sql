-- Value parsers used by every importer. The file is read with read_csv(all_varchar=true) so that a
-- bad cell becomes a listed rejection instead of failing the whole load; these macros then do the
-- typing, still inside DuckDB.

-- Amount text -> DECIMAL(18,2), NULL when it is not a number.
-- Accepts thousands separators (space, no-break space U+00A0, narrow no-break space U+202F,
-- apostrophe, and '.' or ',' whichever is not the decimal mark), a currency symbol or ISO code
-- before or after, and negatives written -12, (12) or 12- (SAP's trailing minus).
CREATE OR REPLACE MACRO enc_amount_core(v) AS
  regexp_replace(
    regexp_replace(v, '[\s\x{00A0}\x{202F}'']', '', 'g'),
    '^(?:[A-Za-z]{3}|[€$£¥])|(?:[A-Za-z]{3}|[€$£¥])$', '', 'g');

CREATE OR REPLACE MACRO enc_amount_digits(core, decimal_comma) AS
  CASE WHEN decimal_comma
       THEN replace(replace(regexp_replace(core, '[()+-]', '', 'g'), '.', ''), ',', '.')
       ELSE replace(regexp_replace(core, '[()+-]', '', 'g'), ',', '') END;

CREATE OR REPLACE MACRO enc_amount_of(core, decimal_comma) AS
  CASE WHEN regexp_full_match(core, '^[+-]?\(?[0-9][0-9.,]*\)?-?$|^[+-]?\(?[.,][0-9]+\)?-?$')
        AND regexp_full_match(enc_amount_digits(core, decimal_comma), '^[0-9]*\.?[0-9]*$')
       THEN TRY_CAST(
              CASE WHEN starts_with(core, '-') OR ends_with(core, '-') OR (starts_with(core, '(') AND ends_with(core, ')'))
                   THEN '-' ELSE '' END || enc_amount_digits(core, decimal_comma)
              AS DECIMAL(18,2))
  END;

-- Fast path first, without regexp_replace (1 s per million cells in duckdb-wasm; a full match costs
-- 0.08 s): a cell of digits, spaces (space, no-break, narrow no-break) and the two marks, starting
-- with a digit or a sign and ending with a digit, is cast once its spaces and thousands mark are
-- removed. Anything else ('1 234,56 €', '(12)', '12-', "1'234.50") takes the full path, which gives
-- the same value on these cells (checked on hostile cells in parsing.test.ts). CASE, not
-- COALESCE: COALESCE evaluated part of the full path on every row.
CREATE OR REPLACE MACRO enc_amount_fast_ok(v) AS
  regexp_full_match(v, '[+-]?[0-9](?:[0-9 ,.\x{00A0}\x{202F}]*[0-9])?');

CREATE OR REPLACE MACRO enc_amount_unspaced(v) AS replace(replace(replace(v, ' ', ''), chr(160), ''), chr(8239), '');

CREATE OR REPLACE MACRO enc_parse_amount(v, decimal_comma) AS
  CASE WHEN enc_amount_fast_ok(v)
       THEN TRY_CAST(CASE WHEN decimal_comma THEN replace(replace(enc_amount_unspaced(v), '.', ''), ',', '.')
                          ELSE replace(enc_amount_unspaced(v), ',', '') END AS DECIMAL(18,2))
       ELSE enc_amount_of(enc_amount_core(v), decimal_comma) END;

-- Exchange rate text -> DECIMAL(18,8) (same separators as amounts, no currency).
CREATE OR REPLACE MACRO enc_parse_rate(v, decimal_comma) AS
  CASE WHEN regexp_full_match(enc_amount_core(v), '^[0-9]*[.,]?[0-9]*$')
       THEN TRY_CAST(enc_amount_digits(enc_amount_core(v), decimal_comma) AS DECIMAL(18,8)) END;

-- Date text -> DATE for one named format family. A time part after a space or 'T' is ignored.
-- The shape is checked before strptime so that '03/01/12' is not read as year 12.
CREATE OR REPLACE MACRO enc_date_part(v) AS regexp_extract(trim(v), '^[^ T]+');

CREATE OR REPLACE MACRO enc_parse_date_full(v, fmt) AS
  CASE fmt
    WHEN 'iso' THEN CASE WHEN regexp_full_match(enc_date_part(v), '\d{4}-\d{1,2}-\d{1,2}')
                         THEN try_strptime(enc_date_part(v), '%Y-%m-%d')::DATE END
    WHEN 'dmy' THEN CASE WHEN regexp_full_match(enc_date_part(v), '\d{1,2}/\d{1,2}/\d{4}')
                         THEN try_strptime(enc_date_part(v), '%d/%m/%Y')::DATE END
    WHEN 'mdy' THEN CASE WHEN regexp_full_match(enc_date_part(v), '\d{1,2}/\d{1,2}/\d{4}')
                         THEN try_strptime(enc_date_part(v), '%m/%d/%Y')::DATE END
    WHEN 'dmy_dot' THEN CASE WHEN regexp_full_match(enc_date_part(v), '\d{1,2}\.\d{1,2}\.\d{4}')
                         THEN try_strptime(enc_date_part(v), '%d.%m.%Y')::DATE END
    WHEN 'dmy_dash' THEN CASE WHEN regexp_full_match(enc_date_part(v), '\d{1,2}-\d{1,2}-\d{4}')
                         THEN try_strptime(enc_date_part(v), '%d-%m-%Y')::DATE END
    WHEN 'ymd_compact' THEN CASE WHEN regexp_full_match(enc_date_part(v), '(19|20)\d{6}')
                         THEN try_strptime(enc_date_part(v), '%Y%m%d')::DATE END
  END;

-- Fast paths, without a regular expression: ISO dates of exactly 10 characters are cast; yyyymmdd
-- of 8 and dd/mm/yyyy (and its m/d, dot and dash variants) of exactly 10 with both separators in
-- place are parsed by strptime directly, the year's first character a digit so that the shape is
-- the full path's (strptime then refuses any other non-digit). One literal pattern per branch, here
-- and in the full path: strptime wants its pattern constant, and the format may be a query parameter.
CREATE OR REPLACE MACRO enc_parse_date(v, fmt) AS
  CASE WHEN fmt = 'iso' AND length(v) = 10 AND v[5] = '-' AND v[8] = '-' THEN TRY_CAST(v AS DATE)
       WHEN fmt = 'ymd_compact' AND length(v) = 8 AND v[1:2] IN ('19', '20') THEN try_strptime(v, '%Y%m%d')::DATE
       WHEN fmt IN ('dmy', 'mdy') AND length(v) = 10 AND v[3] = '/' AND v[6] = '/' AND v[7] BETWEEN '0' AND '9'
         THEN try_strptime(v, CASE fmt WHEN 'dmy' THEN '%d/%m/%Y' ELSE '%m/%d/%Y' END)::DATE
       WHEN fmt = 'dmy_dot' AND length(v) = 10 AND v[3] = '.' AND v[6] = '.' AND v[7] BETWEEN '0' AND '9'
         THEN try_strptime(v, '%d.%m.%Y')::DATE
       WHEN fmt = 'dmy_dash' AND length(v) = 10 AND v[3] = '-' AND v[6] = '-' AND v[7] BETWEEN '0' AND '9'
         THEN try_strptime(v, '%d-%m-%Y')::DATE
       ELSE enc_parse_date_full(v, fmt) END;

-- Yes/no text -> BOOLEAN (English and French spellings), NULL when it is neither.
CREATE OR REPLACE MACRO enc_parse_flag(v) AS
  CASE WHEN lower(trim(v)) IN ('yes', 'y', 'true', '1', 'oui', 'o', 'vrai', 'x') THEN true
       WHEN lower(trim(v)) IN ('no', 'n', 'false', '0', 'non', 'faux') THEN false END;

CREATE OR REPLACE MACRO enc_parse_int(v) AS
  TRY_CAST(regexp_replace(trim(v), '\s*(days?|jours?|j|d)$', '', 'i') AS INTEGER);
