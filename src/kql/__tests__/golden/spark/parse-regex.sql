WITH q1 AS (SELECT * FROM (VALUES ('GET /index.html 200'), ('POST /api 500')) AS t(`line`)),
q2 AS (SELECT `line`, regexp_extract(coalesce(`line`, ''), '(?i)^(.*)[\t\n\x0B\f\r\x85\p{Z}]+(.*)[\t\n\x0B\f\r\x85\p{Z}]+(-?\d+)', 1) AS `method`, regexp_extract(coalesce(`line`, ''), '(?i)^(.*)[\t\n\x0B\f\r\x85\p{Z}]+(.*)[\t\n\x0B\f\r\x85\p{Z}]+(-?\d+)', 2) AS `path`, TRY_CAST(nullif(regexp_extract(coalesce(`line`, ''), '(?i)^(.*)[\t\n\x0B\f\r\x85\p{Z}]+(.*)[\t\n\x0B\f\r\x85\p{Z}]+(-?\d+)', 3), '') AS INT) AS `status` FROM q1)
SELECT `line`, `method`, `path`, `status` FROM q2
