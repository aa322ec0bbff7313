"""detente actors stage: the dated actor knowledge base and the time-aware resolver.

Public API: ``load_kb``, ``KnowledgeBase``, ``Resolver``, ``default_resolver``.
"""

from detente.actors.kb import KnowledgeBase, Person, Role, State, load_kb
from detente.actors.resolver import Resolver, default_resolver

__all__ = ["KnowledgeBase", "Person", "Resolver", "Role", "State", "default_resolver", "load_kb"]
