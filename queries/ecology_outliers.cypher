// question: Which organizations of a region stand out in the 政治生态 portrait? The "trees":
//   organizations whose ecology index or any indicator is an outlier on the unfavourable side
//   among their peers.
// 问题: 某区域哪些组织在政治生态画像中异常（“树木”）？政治生态指数或某项指标在同类组织中处于不利一侧的离群值。
// param region: string = null — the region (organizations.csv region, e.g. 黄浦区); null for every region
// :params {region: "浦东新区"}
// columns: org, name, kind, level, region, index, flagged, reason, year
// mode: read
// reads: ecology_index, ecology_flagged, ecology_reason, ecology_year on Organization (graphmodel analyze --write)
//
// index is the 0–100 ecology index (higher is healthier); flagged lists the outlying items
// (index and/or indicator names); reason says by how much, against the peers' median. Peers
// are organizations of the same level and kind (DESIGN §5, graphmodel.analysis.ecology).
MATCH (o:Organization)
WHERE size(coalesce(o.ecology_flagged, [])) > 0 AND ($region IS NULL OR o.region = $region)
RETURN o.id AS org, o.name AS name, o.kind AS kind, o.level AS level, o.region AS region,
       o.ecology_index AS index, o.ecology_flagged AS flagged, o.ecology_reason AS reason,
       o.ecology_year AS year
ORDER BY index, org
