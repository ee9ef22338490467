WITH q1 AS (SELECT "AppDisplayName" AS "AppDisplayName", time_bucket(to_microseconds(CAST(3600000000 AS BIGINT)), "TimeGenerated", CAST('2024-01-01 00:00:00' AS TIMESTAMP)) AS __t, count(*) AS __v0 FROM "SigninLogs" WHERE "TimeGenerated" >= CAST('2024-01-01 00:00:00' AS TIMESTAMP) AND "TimeGenerated" < CAST('2024-01-02 00:00:00' AS TIMESTAMP) GROUP BY ALL),
q2 AS (SELECT unnest(generate_series(CAST('2024-01-01 00:00:00' AS TIMESTAMP), CAST('2024-01-02 00:00:00' AS TIMESTAMP) - INTERVAL 1 MICROSECOND, to_microseconds(CAST(3600000000 AS BIGINT)))) AS __t),
q3 AS (SELECT DISTINCT "AppDisplayName" FROM q1),
q4 AS (SELECT "AppDisplayName", to_json(list(coalesce(g.__v0, CAST(0 AS BIGINT)) ORDER BY __t)) AS "n", to_json(list(strftime(__t, '%Y-%m-%dT%H:%M:%S.%f0Z') ORDER BY __t)) AS "TimeGenerated" FROM q3 CROSS JOIN q2 LEFT JOIN q1 g USING ("AppDisplayName", __t) GROUP BY "AppDisplayName" HAVING count(*) > 0),
q5 AS (SELECT "AppDisplayName", "n", "TimeGenerated" FROM q4)
SELECT "AppDisplayName", "n", "TimeGenerated" FROM q5
