// name: workload
// purpose: Tasks per unit by role (lead 牵头, shared 按职责分工负责, co 配合) and in total.
// params: none
// order: -total, unit_id
// columns: unit, unit_id, lead, shared, co, total
MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task)
RETURN u.name AS unit, u.unit_id AS unit_id,
       sum(CASE WHEN r.role = "lead" THEN 1 ELSE 0 END) AS lead,
       sum(CASE WHEN r.role = "shared" THEN 1 ELSE 0 END) AS shared,
       sum(CASE WHEN r.role = "co" THEN 1 ELSE 0 END) AS co,
       count(DISTINCT t) AS total
ORDER BY total DESC, unit_id
