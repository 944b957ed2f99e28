// question: What is a cadre responsible for? His posts, the organizations he is in charge of
//   (分管), and the responsibilities he bears, with the pressure each receives.
// 问题: 某干部承担哪些责任？其任职、分管的组织，以及所承担的责任和各自所受的压力。
// param cadre: string — the cadre's id (cadres.csv)
// :params {cadre: "C00130"}
// columns: cadre, cadre_name, relation, org, org_name, role, responsibility, kind, pressure, weight
// mode: read
// reads: pressure on Responsibility nodes (graphmodel analyze --write)
//
// relation post: a post (role secretary, deputy_secretary or member) and the responsibility he
// bears there (first_person or dual_duty; none for a discipline body's posts). relation duty:
// an organization he is in charge of, the principal responsibility his 一岗双责 feeds, and the
// weight of that duty link (one row per 一岗双责 node that links to it).
MATCH (c:Cadre {id: $cadre})
CALL (c) {
  MATCH (c)-[h:HOLDS]->(o:Organization)
  OPTIONAL MATCH (c)-[:BEARS]->(r:Responsibility {org: o.id})
  RETURN 'post' AS relation, o, h.role AS role, r, null AS weight
  UNION ALL
  MATCH (c)-[:IN_CHARGE_OF]->(o:Organization)
  OPTIONAL MATCH (c)-[:BEARS]->(:Responsibility {kind: 'dual_duty'})-[l:TRANSMITS_TO]->
                 (r:Responsibility {kind: 'principal', org: o.id})
  RETURN 'duty' AS relation, o, null AS role, r, l.weight AS weight
}
RETURN c.id AS cadre, c.name AS cadre_name, relation, o.id AS org, o.name AS org_name, role,
       r.id AS responsibility, r.kind AS kind, r.pressure AS pressure, weight
ORDER BY relation DESC, o.level, org, responsibility, weight
