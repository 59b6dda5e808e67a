// name: co-responsibility
// purpose: Pairs of units named in the same tasks, and how many tasks they share (coordination load).
// params: none
// order: -tasks, unit_a_id, unit_b_id
// columns: unit_a, unit_a_id, unit_b, unit_b_id, tasks
MATCH (a:Unit)-[:RESPONSIBLE_FOR]->(t:Task)<-[:RESPONSIBLE_FOR]-(b:Unit)
WHERE a.unit_id < b.unit_id
RETURN a.name AS unit_a, a.unit_id AS unit_a_id, b.name AS unit_b, b.unit_id AS unit_b_id,
       count(DISTINCT t) AS tasks
ORDER BY tasks DESC, unit_a_id, unit_b_id
