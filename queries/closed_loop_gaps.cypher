// question: Which stages of the closed loop 知责明责 → 履责尽责 → 考责问责 are missing, per
//   organization? The organizations whose incoming links show no evidence of a stage.
// 问题: 各组织的“知责明责→履责尽责→考责问责”闭环缺了哪些环节？列出流入链条中没有某一环节证据的组织。
// param stage: string = null — only organizations missing this stage (know, perform, assess); null for any
// param under: string = null — only organizations at or below this one; null for all
// :params {stage: "assess", under: null}
// columns: org, name, kind, level, missing, know_evidence, perform_evidence, assess_evidence
// mode: read
//
// An organization's incoming links are the links into any of its responsibilities. Stages by
// channel (DESIGN §2): know — responsibility_letter; perform — meeting, talk, report;
// assess — assessment, inspection, accountability. The *_evidence columns sum the counts.
MATCH (o:Organization)
WHERE $under IS NULL OR EXISTS { (o)-[:SUBORDINATE_TO*0..]->(:Organization {id: $under}) }
MATCH (r:Responsibility {org: o.id})
OPTIONAL MATCH ()-[l:TRANSMITS_TO]->(r)
WITH o,
     sum(coalesce(l.responsibility_letter, 0.0)) AS know,
     sum(coalesce(l.meeting, 0.0) + coalesce(l.talk, 0.0) + coalesce(l.report, 0.0)) AS perform,
     sum(coalesce(l.assessment, 0.0) + coalesce(l.inspection, 0.0) + coalesce(l.accountability, 0.0)) AS assess
WITH o, know, perform, assess,
     [stage IN ['know', 'perform', 'assess']
      WHERE {know: know, perform: perform, assess: assess}[stage] = 0] AS missing
WHERE size(missing) > 0 AND ($stage IS NULL OR $stage IN missing)
RETURN o.id AS org, o.name AS name, o.kind AS kind, o.level AS level, missing,
       know AS know_evidence, perform AS perform_evidence, assess AS assess_evidence
ORDER BY level, org
