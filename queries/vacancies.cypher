// question: Which organizations have no secretary, no supervising discipline body, or no
//   team member who bears 一岗双责?
// 问题: 哪些组织没有书记、没有纪检机构监督，或没有承担“一岗双责”的班子成员？
// param category: string = null — secretary, supervision or members; null for all three
// param under: string = null — only organizations at or below this one; null for all
// :params {category: null, under: null}
// columns: org, name, kind, level, region, category, vacant
// mode: read
//
// Only organizations bearing the principal responsibility (committees, leading groups,
// branches) count; supervision is asked of committees and leading groups only. vacant names
// the responsibility left unborne: first_person, supervisory or dual_duty.
MATCH (o:Organization)-[:BEARS]->(:Responsibility {kind: 'principal'})
WHERE $under IS NULL OR EXISTS { (o)-[:SUBORDINATE_TO*0..]->(:Organization {id: $under}) }
CALL (o) {
  WITH o WHERE NOT EXISTS { (:Cadre)-[:HOLDS {role: 'secretary'}]->(o) }
  RETURN 'secretary' AS category, 'first_person' AS vacant
  UNION ALL
  WITH o WHERE o.kind IN ['committee', 'leading_group']
    AND NOT EXISTS { (:Organization {kind: 'discipline'})-[:SUPERVISES]->(o) }
  RETURN 'supervision' AS category, 'supervisory' AS vacant
  UNION ALL
  WITH o WHERE NOT EXISTS { (:Responsibility {kind: 'dual_duty', org: o.id}) }
  RETURN 'members' AS category, 'dual_duty' AS vacant
}
WITH o, category, vacant
WHERE $category IS NULL OR category = $category
RETURN o.id AS org, o.name AS name, o.kind AS kind, o.level AS level, o.region AS region,
       category, vacant
ORDER BY level, org, category
