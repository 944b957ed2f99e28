// question: What is the chain of command above an organization? Every organization from it up
//   to the root, with its secretary and the pressure its responsibility receives.
// 问题: 某组织之上的领导链条是什么？从该组织逐级上溯至根（市委），列出各级组织的书记及其所受压力。
// param org: string — the organization's id (organizations.csv)
// :params {org: "O01932"}
// columns: step, org, name, kind, level, secretary, secretary_name, pressure
// mode: read
// reads: pressure on Responsibility nodes (graphmodel analyze --write)
//
// step 0 is the organization itself, step 1 its parent, and so on up to the root. pressure is
// that of the organization's principal responsibility (主体责任), or of its supervisory one
// (监督责任) for a discipline body; secretary is null where the post is vacant.
MATCH path = (:Organization {id: $org})-[:SUBORDINATE_TO*0..]->(o:Organization)
OPTIONAL MATCH (s:Cadre)-[:HOLDS {role: 'secretary'}]->(o)
OPTIONAL MATCH (o)-[:BEARS]->(r:Responsibility)
  WHERE r.kind IN ['principal', 'supervisory']
RETURN length(path) AS step, o.id AS org, o.name AS name, o.kind AS kind, o.level AS level,
       s.id AS secretary, s.name AS secretary_name, r.pressure AS pressure
ORDER BY step
