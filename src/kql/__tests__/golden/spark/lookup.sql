WITH q1 AS (SELECT * FROM (VALUES ('Azure Portal', CAST(3 AS BIGINT)), ('Teams', CAST(1 AS BIGINT))) AS t(`AppDisplayName`, `Risk`)),
q2 AS (SELECT l.`TimeGenerated` AS `TimeGenerated`, l.`UserPrincipalName` AS `UserPrincipalName`, l.`AppDisplayName` AS `AppDisplayName`, l.`ResultType` AS `ResultType`, l.`IPAddress` AS `IPAddress`, r.`Risk` AS `Risk` FROM `SigninLogs` l LEFT JOIN q1 r ON coalesce(l.`AppDisplayName`, '') = coalesce(r.`AppDisplayName`, ''))
SELECT `TimeGenerated`, `UserPrincipalName`, `AppDisplayName`, `ResultType`, `IPAddress`, `Risk` FROM q2
