// question: How far does pressure reach each level (层层传导压力)? Per level: how many
//   responsibilities, the mean, median and 10th percentile of their pressure, and the
//   attenuation r_k = mean(k+1) / mean(k).
// 问题: 压力逐级传导到了哪一层？每一层级责任的数量、压力的均值、中位数和第10百分位数，以及衰减率 r_k = 下一级均值 / 本级均值。
// param kind: string = null — only responsibilities of this kind (principal, first_person, dual_duty, supervisory); null for all
// :params {kind: null}
// columns: level, count, mean, median, p10, attenuation
// mode: read
// reads: pressure on Responsibility nodes (graphmodel analyze --write)
//
// attenuation is null on the deepest level (and where a level's mean is 0). Percentiles
// interpolate linearly between ranks, as numpy and pandas do.
MATCH (r:Responsibility)
WHERE r.pressure IS NOT NULL AND ($kind IS NULL OR r.kind = $kind)
WITH r.level AS level, count(*) AS count, avg(r.pressure) AS mean,
     percentileCont(r.pressure, 0.5) AS median, percentileCont(r.pressure, 0.1) AS p10
ORDER BY level
WITH collect({level: level, count: count, mean: mean, median: median, p10: p10}) AS levels
UNWIND range(0, size(levels) - 1) AS k
WITH levels[k] AS this, levels[k + 1] AS next
RETURN this.level AS level, this.count AS count, this.mean AS mean, this.median AS median,
       this.p10 AS p10,
       CASE WHEN next IS NULL OR this.mean = 0 THEN null ELSE next.mean / this.mean END AS attenuation
ORDER BY level
