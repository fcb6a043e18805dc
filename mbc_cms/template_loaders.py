"""The template loader of the site: Django's cached loader, with ``{% extends %}`` worked out
once when a template is compiled instead of on every render.

Django resolves inheritance as a template renders, because the parent's name may be a
variable: ``{% extends %}`` finds the parent through the loaders, walks the parent's whole
node tree for its blocks, and each ``{% block %}`` then looks up in a per-render stack which
template's version to show. For an article page that cost about a sixth of rendering it
(0.44 M of 2.5 M instructions), on every page of the site that extends ``base.html``.

When the parent is a literal name, the answer never changes between renders, so this loader
builds the result once: the parent's nodes, each block replaced by the most derived
template's version of it (``InlinedBlock``, which keeps the block's name so that a template
extending this one can replace it again). Nothing else moves: nodes are shared, not copied,
except the few on the way from the top of the tree to a block.

A template is left to Django's own inheritance, with the same output, when it could render
differently flattened: a parent named by a variable or a filter, a parent of the same name
(an override that extends the template it replaces, as the admin's do), a ``block``
variable (``{{ block.super }}``) in it or its parent, or a block inside a tag whose parts
cannot be rebuilt (an ``{% if %}``, say).
"""

from __future__ import annotations

import copy
import re

from django.template import Template, TemplateDoesNotExist, TemplateSyntaxError
from django.template.base import NodeList, Variable
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode, ExtendsNode
from django.template.loaders import cached

# ``{{ block.super }}``, ``{{ block.name }}``: what only Django's render-time blocks answer.
_BLOCK_VARIABLE = re.compile(r"\bblock\.")


class InlinedBlock(BlockNode):
    """A block whose version was chosen when the template was compiled. It renders its
    nodes in a context of its own, as ``{% block %}`` does, so a variable set inside (by
    ``{% url … as name %}``, say) is not seen after it. Rendered as the parent of a template
    left to Django's inheritance (one that uses ``{{ block.super }}``), it is a block like
    any other: that template's version of it, if any, is shown."""

    def render(self, context) -> str:
        if BLOCK_CONTEXT_KEY in context.render_context:
            return super().render(context)
        # What ``with context.push()`` does, without building a context manager per block
        # (a fifth of what the blocks of a page cost): a layer the block's values go to.
        layers = context.dicts
        layers.append({})
        try:
            return self.nodelist.render(context)
        finally:
            layers.pop()


class _NotInlinable(Exception):
    pass


def _inline(nodelist: NodeList, blocks: dict[str, BlockNode]) -> NodeList:
    """``nodelist`` with every block replaced by its version in ``blocks`` (or kept), at any
    depth; a node with no block of ``blocks`` under it is kept as it is."""
    result = NodeList()
    result.contains_nontext = nodelist.contains_nontext
    for node in nodelist:
        if isinstance(node, BlockNode):
            chosen = blocks.get(node.name, node)
            inlined = InlinedBlock(chosen.name, _inline(chosen.nodelist, blocks))
            inlined.token, inlined.origin = chosen.token, chosen.origin
            result.append(inlined)
        elif any(block.name in blocks for block in node.get_nodes_by_type(BlockNode)):
            result.append(_rebuilt(node, blocks))
        else:
            # No block under it that this template replaces (blocks inside an ``{% if %}``
            # that it leaves alone render as Django's do).
            result.append(node)
    return result


def _rebuilt(node, blocks: dict[str, BlockNode]):
    """A shallow copy of ``node`` whose node lists have their blocks replaced; refused when
    one of them is not a plain attribute (``{% if %}`` computes its ``nodelist``)."""
    rebuilt = copy.copy(node)
    for attr in node.child_nodelists:
        nodelist = getattr(node, attr, None)
        if nodelist is None:
            continue
        if not isinstance(nodelist, NodeList) or attr not in vars(node):
            raise _NotInlinable(f"a block inside {type(node).__name__}")
        setattr(rebuilt, attr, _inline(nodelist, blocks))
    return rebuilt


def inline_inheritance(template: Template, parent: Template) -> NodeList | None:
    """``template``'s nodes with ``parent`` (what its ``{% extends %}`` names) inlined, or
    None when Django's render-time inheritance must stay (see the module's docstring)."""
    if _BLOCK_VARIABLE.search(template.source) or _BLOCK_VARIABLE.search(parent.source):
        return None
    if _extends(parent) is not None:
        return None  # a parent not inlined itself (a cycle, which Django reports)
    position, extends = _extends(template)
    try:
        inlined = _inline(parent.nodelist, extends.blocks)
    except _NotInlinable:
        return None
    # What precedes ``{% extends %}`` (text only, as Django requires) is still output.
    result = NodeList([*template.nodelist[:position], *inlined])
    result.contains_nontext = True
    return result


def _extends(template: Template) -> tuple[int, ExtendsNode] | None:
    """Where ``template``'s ``{% extends %}`` is among its top nodes, and the node (None when
    it extends nothing, or no longer: inlined)."""
    return next(
        ((i, node) for i, node in enumerate(template.nodelist) if isinstance(node, ExtendsNode)),
        None,
    )


def _literal_parent(template: Template) -> str | None:
    """The parent's name when ``template`` extends one named by a literal string."""
    found = _extends(template)
    if found is None:
        return None
    expression = found[1].parent_name
    if expression.filters or isinstance(expression.var, Variable):
        return None
    name = expression.var
    return name if isinstance(name, str) and name else None


class Loader(cached.Loader):
    """Django's cached loader (its options and ``reset`` when templates change in
    development), with each template's literal ``{% extends %}`` inlined once."""

    def get_template(self, template_name, skip=None) -> Template:
        template = super().get_template(template_name, skip)
        # The cached template is worked on once, the first time it is asked for.
        if not getattr(template, "inheritance_settled", False):
            template.inheritance_settled = True
            self._inline(template, template_name)
        return template

    def _inline(self, template: Template, template_name: str) -> None:
        parent_name = _literal_parent(template)
        if parent_name is None or parent_name == template_name:
            return
        # Found as ``{% extends %}`` finds it, through every loader of the engine (this one
        # included: a parent that extends another is itself inlined first).
        try:
            parent = self.engine.get_template(parent_name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            return  # reported by ``{% extends %}`` when the template renders, as before
        nodelist = inline_inheritance(template, parent)
        if nodelist is not None:
            template.nodelist = nodelist
