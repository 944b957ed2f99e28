// question: Which transmission links are broken under an organization, and which to repair
//   first? The broken (missing or weak) links into it and every organization below it,
//   highest impact first.
// 问题: 某组织及其下级有哪些传导链条断裂（中梗阻）？应先修复哪条？按修复收益（impact）从高到低列出缺失或薄弱的链条。
// param org: string — the organization at the top (its own incoming links count)
// param limit: integer = 50 — at most this many links
// :params {org: "O00002", limit: 20}
// columns: source, target, category, weight, impact, link_type, org, org_name, level
// mode: read
// reads: broken, category and impact on TRANSMITS_TO (graphmodel analyze --write)
//
// impact is how much the total pressure Σp rises when that link alone gets weight 1; org is
// the organization whose responsibility the link reaches.
MATCH (:Organization {id: $org})<-[:SUBORDINATE_TO*0..]-(o:Organization)
MATCH (a:Responsibility)-[l:TRANSMITS_TO {broken: true}]->(b:Responsibility {org: o.id})
RETURN a.id AS source, b.id AS target, l.category AS category, l.weight AS weight,
       l.impact AS impact, l.type AS link_type, o.id AS org, o.name AS org_name, b.level AS level
ORDER BY impact IS NULL, impact DESC, source, target
LIMIT $limit
