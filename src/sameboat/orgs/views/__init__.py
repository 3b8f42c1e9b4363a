"""Organisation pages: the tree, an organisation, its people, leadership group and regions.

Thin adapters: every lookup goes through a selector (out of scope answers 404), every
write through a service. Write buttons appear only for people who may use them, and the
same check runs again here before the service checks it a third time. In scope but not
allowed (a viewer, an officer on an admin form) answers 403.
"""

from sameboat.orgs.views.members import leader_add, leader_remove, leadership_set, member_grant, member_revoke
from sameboat.orgs.views.people import people, people_export, person, person_add, person_edit
from sameboat.orgs.views.regions import region, regions
from sameboat.orgs.views.search import org_search
from sameboat.orgs.views.tree import add_child, detail, edit, move, tree, tree_children

__all__ = [
    "add_child",
    "detail",
    "edit",
    "leader_add",
    "leader_remove",
    "leadership_set",
    "member_grant",
    "member_revoke",
    "move",
    "org_search",
    "people",
    "people_export",
    "person",
    "person_add",
    "person_edit",
    "region",
    "regions",
    "tree",
    "tree_children",
]
