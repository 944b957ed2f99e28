// question: Whose four responsibilities work together worst (四责协同), and which of the four
//   is the weakest? The organizations with the lowest coordination index, with the four
//   component scores.
// 问题: 哪些组织的“四责协同”最弱？四项责任中哪一项最薄弱？按协同指数从低到高列出组织及其四项分值。
// param tau_weak: float = 0.5 — a link is active when its weight is at least this (and above 0)
// param under: string = null — only organizations at or below this one; null for all
// param limit: integer = 50 — at most this many organizations
// :params {tau_weak: 0.5, under: null, limit: 20}
// columns: org, name, kind, level, principal, first_person, dual_duty, supervisory, index, weakest
// mode: read
// reads: pressure on Responsibility nodes (graphmodel analyze --write)
//
// The four scores (DESIGN §5): principal = p(principal:X); first_person = p(first_person:X) ×
// the share of X's 一岗双责 nodes with an active link from it; dual_duty = their mean p × the
// share with an active duty link; supervisory = the best p(D)·w(D→X). A missing secretary,
// team or supervisor scores 0. index is their geometric mean (0 when any is 0); weakest is
// the first lowest in that order.
MATCH (o:Organization)-[:BEARS]->(p:Responsibility {kind: 'principal'})
WHERE $under IS NULL OR EXISTS { (o)-[:SUBORDINATE_TO*0..]->(:Organization {id: $under}) }
OPTIONAL MATCH (f:Responsibility {kind: 'first_person', org: o.id})
CALL (o) {
  OPTIONAL MATCH (d:Responsibility {kind: 'dual_duty', org: o.id})
  WITH d,
       EXISTS { (:Responsibility {kind: 'first_person'})-[l:TRANSMITS_TO]->(d)
                WHERE l.weight >= $tau_weak AND l.weight > 0 } AS reached,
       EXISTS { (d)-[l:TRANSMITS_TO]->(:Responsibility {kind: 'principal'})
                WHERE l.weight >= $tau_weak AND l.weight > 0 } AS in_charge
  RETURN count(d) AS team, sum(d.pressure) AS team_pressure,
         count(CASE WHEN reached THEN d END) AS team_reached,
         count(CASE WHEN in_charge THEN d END) AS team_in_charge
}
CALL (p) {
  OPTIONAL MATCH (s:Responsibility {kind: 'supervisory'})-[l:TRANSMITS_TO]->(p)
  RETURN coalesce(max(s.pressure * l.weight), 0.0) AS supervisory
}
WITH o, p.pressure AS principal, supervisory,
     CASE WHEN team = 0 OR f IS NULL THEN 0.0
          ELSE f.pressure * (toFloat(team_reached) / team) END AS first_person,
     CASE WHEN team = 0 THEN 0.0
          ELSE (team_pressure / team) * (toFloat(team_in_charge) / team) END AS dual_duty
WITH o, principal, first_person, dual_duty, supervisory,
     [principal, first_person, dual_duty, supervisory] AS scores
WITH o, principal, first_person, dual_duty, supervisory,
     CASE WHEN all(x IN scores WHERE x > 0)
          THEN (principal * first_person * dual_duty * supervisory) ^ 0.25 ELSE 0.0 END AS index,
     reduce(low = 0, i IN range(1, 3) | CASE WHEN scores[i] < scores[low] THEN i ELSE low END) AS lowest
RETURN o.id AS org, o.name AS name, o.kind AS kind, o.level AS level,
       principal, first_person, dual_duty, supervisory, index,
       ['principal', 'first_person', 'dual_duty', 'supervisory'][lowest] AS weakest
ORDER BY index, org
LIMIT $limit
