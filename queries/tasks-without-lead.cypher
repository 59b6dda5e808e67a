// name: tasks-without-lead
// purpose: Tasks no unit leads (牵头), with how many units they name at all (0: nobody is responsible).
// params: none
// order: document, task_id
// columns: document, task_id, title, units
MATCH (t:Task)-[:PART_OF*]->(d:Document)
WHERE NOT EXISTS { MATCH (:Unit)-[r:RESPONSIBLE_FOR]->(t) WHERE r.role = "lead" }
OPTIONAL MATCH (u:Unit)-[:RESPONSIBLE_FOR]->(t)
RETURN coalesce(d.attachment_title, d.title, "") AS document, t.task_id AS task_id, t.title AS title,
       count(DISTINCT u) AS units
ORDER BY document, task_id
