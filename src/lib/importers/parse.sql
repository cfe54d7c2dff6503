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

-- Fast path first: a plain number (digits, one decimal mark, a leading sign) is cast directly; only
-- the other cells (thousands separators, symbols, (12), 12-) go through the regular expressions.
-- The mark that is not the decimal one must be absent for the fast path, so '1.234' with a decimal
-- comma (one thousand two hundred thirty-four) is never read as 1.23.
CREATE OR REPLACE MACRO enc_parse_amount(v, decimal_comma) AS
  COALESCE(
    CASE WHEN decimal_comma THEN CASE WHEN NOT contains(v, '.') AND NOT contains(v, ' ') THEN TRY_CAST(replace(v, ',', '.') AS DECIMAL(18,2)) END
         ELSE CASE WHEN NOT contains(v, ',') AND NOT contains(v, ' ') THEN TRY_CAST(v AS DECIMAL(18,2)) END END,
    enc_amount_of(enc_amount_core(v), decimal_comma));

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

-- (Fast paths: ISO dates of exactly 10 characters and yyyymmdd of 8 are cast or parsed directly.)
CREATE OR REPLACE MACRO enc_parse_date(v, fmt) AS
  CASE WHEN fmt = 'iso' AND length(v) = 10 AND v[5] = '-' AND v[8] = '-' THEN TRY_CAST(v AS DATE)
       WHEN fmt = 'ymd_compact' AND length(v) = 8 AND v[1:2] IN ('19', '20') THEN try_strptime(v, '%Y%m%d')::DATE
       ELSE enc_parse_date_full(v, fmt) END;

-- Yes/no text -> BOOLEAN (English and French spellings), NULL when it is neither.
CREATE OR REPLACE MACRO enc_parse_flag(v) AS
  CASE WHEN lower(trim(v)) IN ('yes', 'y', 'true', '1', 'oui', 'o', 'vrai', 'x') THEN true
       WHEN lower(trim(v)) IN ('no', 'n', 'false', '0', 'non', 'faux') THEN false END;

CREATE OR REPLACE MACRO enc_parse_int(v) AS
  TRY_CAST(regexp_replace(trim(v), '\s*(days?|jours?|j|d)$', '', 'i') AS INTEGER);
