// question: Which projects are overdue? The projects not done whose due date has passed, most
//   overdue first, with their owner and the problem they address.
// 问题: 哪些整改项目已逾期？未完成且已过期限的项目，按逾期天数从多到少，列出责任人及所针对的问题。
// param as_of: date = null — the day to judge against; null for today
// :params {as_of: date("2025-06-30")}
// columns: project, problem, org, org_name, owner, owner_name, status, due, days_overdue
// mode: read
//
// owner is null for a project without one; status is open or in_progress.
WITH coalesce(date($as_of), date()) AS today
MATCH (j:Project)-[:ADDRESSES]->(pr:Problem)-[:FOUND_IN]->(o:Organization)
WHERE j.status <> 'done' AND j.due IS NOT NULL AND date(j.due) < today
OPTIONAL MATCH (c:Cadre)-[:OWNS]->(j)
RETURN j.id AS project, pr.id AS problem, o.id AS org, o.name AS org_name,
       c.id AS owner, c.name AS owner_name, j.status AS status, j.due AS due,
       duration.inDays(date(j.due), today).days AS days_overdue
ORDER BY days_overdue DESC, project
