// question: Whom does a case call to account (一案双查)? The cadre involved, the secretary, the
//   members in charge, the committee and the supervising discipline bodies of the case's
//   organization — then the same one level up while the party-line links above are weak —
//   each with the weak or missing links that reached it and whether it failed to pass
//   pressure on toward the case.
// 问题: 一个案件应追究谁的责任（一案双查）？案发组织的涉案干部、书记、分管班子成员、党委（党组）和监督的纪检机构；若上级传导链条薄弱，再逐级向上追溯；列出每个责任主体所受的薄弱或缺失链条，以及其向下传导是否失效。
// param case: string — the case's id (cases.csv)
// :params {case: "A000162"}
// columns: case, step, org, org_name, role, holder, holder_name, responsibility, pressure, reached_by, reached_from, failed_to_pass, implicated, vacant
// mode: read
// reads: pressure on Responsibility nodes; broken on TRANSMITS_TO (graphmodel analyze --write)
//
// step 0 is the case's organization; the trace climbs to the parent while the link into the
// organization below from the parent's committee (principal → principal) or secretary
// (first_person → first_person) is broken. A case in a discipline body climbs the discipline
// line along broken supervisory links instead. role is cadre, first_person, dual_duty,
// principal or supervisory. reached_by counts the broken links into the holder's
// responsibility, reached_from lists their sources (sorted); failed_to_pass is true when its own link
// toward the case (the secretary's to the cadre involved or to the secretary below, the duty
// link of a member in charge, the committee's to the committee below, a discipline body's
// supervision link) is broken. implicated: either. vacant: a secretary who does not exist.
MATCH (k:Case {id: $case})-[:OCCURRED_IN]->(x:Organization)
OPTIONAL MATCH (k)-[:INVOLVES]->(c:Cadre)
OPTIONAL MATCH (c)-[:BEARS]->(own:Responsibility {org: x.id})
CALL (x) {
  // the party line: up to the parent while a link into the organization below is broken
  MATCH path = (x)-[:SUBORDINATE_TO*0..]->(y:Organization)
  WHERE x.kind <> 'discipline'
    AND all(z IN nodes(path)[..-1] WHERE EXISTS {
          (:Responsibility)-[l:TRANSMITS_TO {broken: true}]->(:Responsibility {org: z.id})
          WHERE l.type IN ['principal_principal', 'first_person_first_person'] })
  RETURN length(path) AS step, y, nodes(path)[-2] AS below, null AS via
  UNION ALL
  // the discipline line: up along broken supervisory → supervisory links
  MATCH path = (:Responsibility {kind: 'supervisory', org: x.id})<-[:TRANSMITS_TO*0..]-(s:Responsibility)
  WHERE x.kind = 'discipline'
    AND all(l IN relationships(path) WHERE l.type = 'supervisory_supervisory' AND l.broken)
  MATCH (y:Organization {id: s.org})
  RETURN length(path) AS step, y, null AS below, relationships(path)[-1] AS via
}
CALL (c, own, step, y, below, via) {
  // the cadre involved, with his responsibility in the case's organization (if he bears one)
  WITH * WHERE step = 0 AND c IS NOT NULL
  RETURN 'cadre' AS role, c AS holder, own AS node, null AS toward
  UNION ALL
  // the secretary: toward the secretary below, or (step 0) toward the cadre involved
  WITH * WHERE y.kind <> 'discipline'
  OPTIONAL MATCH (s:Cadre)-[:BEARS]->(f:Responsibility {kind: 'first_person', org: y.id})
  OPTIONAL MATCH (f)-[t:TRANSMITS_TO]->(n:Responsibility)
    WHERE (n.kind = 'first_person' AND n.org = below.id) OR (step = 0 AND n = own)
  RETURN 'first_person' AS role, s AS holder, f AS node, t AS toward
  UNION ALL
  // the team members in charge of the organization (分管), by their duty links
  WITH * WHERE y.kind <> 'discipline'
  MATCH (m:Cadre)-[:BEARS]->(d:Responsibility {kind: 'dual_duty'})-[t:TRANSMITS_TO]->
        (:Responsibility {kind: 'principal', org: y.id})
  RETURN 'dual_duty' AS role, m AS holder, d AS node, t AS toward
  UNION ALL
  // the committee: toward the committee below
  WITH * WHERE y.kind <> 'discipline'
  MATCH (y)-[:BEARS]->(p:Responsibility {kind: 'principal'})
  OPTIONAL MATCH (p)-[t:TRANSMITS_TO]->(:Responsibility {kind: 'principal', org: below.id})
  RETURN 'principal' AS role, y AS holder, p AS node, t AS toward
  UNION ALL
  // the discipline bodies supervising the organization, by their supervision links
  WITH * WHERE y.kind <> 'discipline'
  MATCH (g:Organization)-[:BEARS]->(sv:Responsibility {kind: 'supervisory'})-[t:TRANSMITS_TO]->
        (:Responsibility {kind: 'principal', org: y.id})
  RETURN 'supervisory' AS role, g AS holder, sv AS node, t AS toward
  UNION ALL
  // a discipline body on the discipline line: toward the body below
  WITH * WHERE y.kind = 'discipline'
  MATCH (y)-[:BEARS]->(sv:Responsibility {kind: 'supervisory'})
  RETURN 'supervisory' AS role, y AS holder, sv AS node, via AS toward
}
WITH k, step, y, role, holder, node, toward,
     COLLECT { MATCH (a:Responsibility)-[:TRANSMITS_TO {broken: true}]->(node) RETURN a.id ORDER BY a.id } AS reached_from
RETURN k.id AS case, step, y.id AS org, y.name AS org_name, role,
       holder.id AS holder, holder.name AS holder_name, node.id AS responsibility,
       node.pressure AS pressure, size(reached_from) AS reached_by, reached_from,
       coalesce(toward.broken, false) AS failed_to_pass,
       size(reached_from) > 0 OR coalesce(toward.broken, false) AS implicated,
       role = 'first_person' AND node IS NULL AS vacant
ORDER BY step,
         CASE role WHEN 'cadre' THEN 0 WHEN 'first_person' THEN 1 WHEN 'dual_duty' THEN 2
                   WHEN 'principal' THEN 3 ELSE 4 END,
         responsibility
