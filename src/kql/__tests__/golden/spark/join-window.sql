WITH q1 AS (SELECT `TimeGenerated` AS `AuditTime`, `InitiatedBy` AS `InitiatedBy` FROM `AuditLogs`),
q2 AS (SELECT * FROM `SigninLogs` WHERE (NOT (`TimeGenerated` < CAST('2024-01-01 00:00:00' AS TIMESTAMP) OR `TimeGenerated` > CAST('2024-01-15 00:00:00' AS TIMESTAMP)))),
q3 AS (SELECT l.`AuditTime` AS `AuditTime`, l.`InitiatedBy` AS `InitiatedBy`, r.`TimeGenerated` AS `TimeGenerated`, r.`UserPrincipalName` AS `UserPrincipalName`, r.`AppDisplayName` AS `AppDisplayName`, r.`ResultType` AS `ResultType`, r.`IPAddress` AS `IPAddress` FROM q1 l JOIN q2 r ON coalesce(l.`InitiatedBy`, '') = coalesce(r.`UserPrincipalName`, '')),
q4 AS (SELECT * FROM q3 WHERE (`TimeGenerated` >= (`AuditTime` - (INTERVAL 1 MICROSECOND * (CAST(3600000000 AS BIGINT)))) AND `TimeGenerated` <= `AuditTime`))
SELECT `AuditTime`, `InitiatedBy`, `TimeGenerated`, `UserPrincipalName`, `AppDisplayName`, `ResultType`, `IPAddress` FROM q4
