// name: plans
// purpose: Each cited plan 《…》 with the relation the citing tasks ask for and how many tasks cite it so.
// params: none
// order: -tasks, plan, relation
// columns: plan, relation, tasks
MATCH (t:Task)-[c:CITES]->(p:Plan)
RETURN p.title AS plan, c.relation AS relation, count(DISTINCT t) AS tasks
ORDER BY tasks DESC, plan, relation
