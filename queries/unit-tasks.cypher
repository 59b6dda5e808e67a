// name: unit-tasks
// purpose: What one unit must do: its tasks with role, title and deadline ("what did this bureau promise, by when").
// params: unit (canonical name, a name as written, or unit_id such as 泰安市/市商务局)
// order: document, task_id, role
// columns: document, task_id, title, role, deadline
MATCH (u:Unit)
WHERE u.unit_id = $unit OR u.name = $unit OR $unit IN u.aliases
MATCH (u)-[r:RESPONSIBLE_FOR]->(t:Task)-[:PART_OF*]->(d:Document)
RETURN coalesce(d.attachment_title, d.title, "") AS document, t.task_id AS task_id, t.title AS title,
       r.role AS role, coalesce(t.deadline, "") AS deadline
ORDER BY document, task_id, role
