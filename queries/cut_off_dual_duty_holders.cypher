// question: Which 一岗双责 holders are isolated or cut off? Every team member's 一岗双责 whose
//   link from the secretary is not active (cut off above), whose duty links are none of them
//   active (cut off below), or both at once (isolated).
// 问题: 哪些“一岗双责”承担者被孤立或脱节？书记到其的链条不活跃（上脱节）、其分管链条无一活跃（下脱节），或上下皆无活跃链条（孤立）。
// param status: string = null — only holders with this status (no_duty, cut_off_above, cut_off_below, isolated); null for any but no_duty alone
// param tau_weak: float = 0.5 — a link is active when its weight is at least this (and above 0)
// param under: string = null — only holders in organizations at or below this one; null for all
// :params {status: "isolated", tau_weak: 0.5, under: null}
// columns: cadre, cadre_name, org, org_name, level, responsibility, status, secretary_link_weight, duty_links, active_duty_links, pressure
// mode: read
//
// One row per 一岗双责 node (one per membership). status lists, in this order: no_duty (in
// charge of nothing below), cut_off_above (the secretary's link is not active, or there is
// no secretary), cut_off_below (duty links, none active), isolated (no active link in, none
// out). Computed from the link weights; pressure needs graphmodel analyze --write.
MATCH (m:Cadre)-[:BEARS]->(d:Responsibility {kind: 'dual_duty'})
MATCH (o:Organization {id: d.org})
WHERE $under IS NULL OR EXISTS { (o)-[:SUBORDINATE_TO*0..]->(:Organization {id: $under}) }
OPTIONAL MATCH (:Responsibility {kind: 'first_person'})-[up:TRANSMITS_TO]->(d)
CALL (d) {
  OPTIONAL MATCH (d)-[duty:TRANSMITS_TO]->(:Responsibility {kind: 'principal'})
  RETURN count(duty) AS duty_links,
         count(CASE WHEN duty.weight >= $tau_weak AND duty.weight > 0 THEN duty END) AS active_duty_links
}
WITH m, d, o, up.weight AS secretary_link_weight, duty_links, active_duty_links,
     coalesce(up.weight >= $tau_weak AND up.weight > 0, false) AS reached
WITH m, d, o, secretary_link_weight, duty_links, active_duty_links,
     [s IN [CASE WHEN duty_links = 0 THEN 'no_duty' END,
            CASE WHEN NOT reached THEN 'cut_off_above' END,
            CASE WHEN duty_links > 0 AND active_duty_links = 0 THEN 'cut_off_below' END,
            CASE WHEN NOT reached AND active_duty_links = 0 THEN 'isolated' END]
      WHERE s IS NOT NULL] AS status
WHERE CASE WHEN $status IS NULL THEN any(s IN status WHERE s <> 'no_duty') ELSE $status IN status END
RETURN m.id AS cadre, m.name AS cadre_name, o.id AS org, o.name AS org_name, o.level AS level,
       d.id AS responsibility, status, secretary_link_weight, duty_links, active_duty_links,
       d.pressure AS pressure
ORDER BY level, org, cadre
