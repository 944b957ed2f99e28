// question: Where does pressure drop sharply from the parent? The organizations whose
//   principal responsibility receives less than ρ_drop times their parent's pressure.
// 问题: 哪些组织的压力相比上级骤降？主体责任所受压力低于上级 ρ_drop 倍的组织。
// param rho_drop: float = 0.5 — a drop is pressure < rho_drop × the parent's pressure
// param under: string = null — only organizations at or below this one; null for all
// param limit: integer = 50 — at most this many organizations
// :params {rho_drop: 0.5, under: null, limit: 20}
// columns: org, name, parent, parent_name, level, pressure, parent_pressure, ratio, link_weight
// mode: read
// reads: pressure on Responsibility nodes (graphmodel analyze --write)
//
// Sharpest drop (lowest ratio = pressure / parent_pressure) first. link_weight is the weight of
// the principal link from the parent: where it is weak, no other channel made up for it.
MATCH (o:Organization)-[:SUBORDINATE_TO]->(parent:Organization)
WHERE $under IS NULL OR EXISTS { (o)-[:SUBORDINATE_TO*0..]->(:Organization {id: $under}) }
MATCH (o)-[:BEARS]->(p:Responsibility {kind: 'principal'})
MATCH (parent)-[:BEARS]->(pp:Responsibility {kind: 'principal'})
WHERE p.pressure < $rho_drop * pp.pressure
OPTIONAL MATCH (pp)-[l:TRANSMITS_TO]->(p)
RETURN o.id AS org, o.name AS name, parent.id AS parent, parent.name AS parent_name,
       o.level AS level, p.pressure AS pressure, pp.pressure AS parent_pressure,
       p.pressure / pp.pressure AS ratio, l.weight AS link_weight
ORDER BY ratio, level, org
LIMIT $limit
