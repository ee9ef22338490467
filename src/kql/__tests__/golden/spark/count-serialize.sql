WITH q1 AS (SELECT * FROM `SigninLogs` ORDER BY `TimeGenerated` ASC NULLS FIRST),
q2 AS (SELECT `TimeGenerated`, (row_number() OVER (ORDER BY `TimeGenerated` ASC NULLS FIRST) + 1 - 1) AS `n` FROM q1),
q3 AS (SELECT `TimeGenerated`, `n`, lag(`TimeGenerated`, 1) OVER (ORDER BY `TimeGenerated` ASC NULLS FIRST) AS `previous` FROM q2),
q4 AS (SELECT count(*) AS `Count` FROM q3)
SELECT `Count` FROM q4
