// question: Which problems found have no project to fix them (问题清单 without 项目清单)?
// 问题: 哪些查摆出的问题还没有对应的整改项目？
// param under: string = null — only problems of organizations at or below this one; null for all
// :params {under: null}
// columns: problem, org, org_name, source, severity, description
// mode: read
//
// source is where the problem was found (inspection, audit, assessment, case, other).
MATCH (pr:Problem)-[:FOUND_IN]->(o:Organization)
WHERE NOT EXISTS { (:Project)-[:ADDRESSES]->(pr) }
  AND ($under IS NULL OR EXISTS { (o)-[:SUBORDINATE_TO*0..]->(:Organization {id: $under}) })
RETURN pr.id AS problem, o.id AS org, o.name AS org_name, pr.source AS source,
       pr.severity AS severity, pr.description AS description
ORDER BY org, problem
