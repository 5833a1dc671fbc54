//! YAML events to a tree of positioned nodes. Aliases share their anchor's
//! content (an `Rc`), keep their own position, and count against the
//! limit on nodes produced, so an alias bomb is refused after a handful of
//! steps instead of after exhausting memory.

use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::text_pos::to_u32;
use crate::{Format, Limits, ParseError, Position};

/// One node with where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Start of the node (for an alias: of the alias).
    pub mark: Position,
    /// The content, shared between an anchor and its aliases.
    pub kind: Rc<Kind>,
    /// Nodes in this subtree, counting every alias expansion.
    pub size: usize,
    /// Levels of collections below this node.
    pub height: usize,
}

/// A node's content.
#[derive(Debug)]
pub(crate) enum Kind {
    /// A scalar with its text, whether it was plain, and its tag.
    Scalar {
        /// The text.
        text: String,
        /// Plain (unquoted, not a block scalar).
        plain: bool,
        /// Explicit tag.
        tag: Option<Tag>,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A stream document with nothing in it (`---` alone, comments only).
    fn is_empty_document(&self) -> bool {
        matches!(&*self.kind, Kind::Scalar { text, plain: true, tag: None } if text.is_empty())
    }
}

enum Frame {
    Seq {
        mark: Position,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        mark: Position,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

fn mark(span: &Span) -> Position {
    Position {
        line: to_u32(span.start.line()),
        column: to_u32(span.start.col() + 1),
    }
}

/// Reads the stream's documents in order and calls `each(index, root)` for
/// every non-empty one (indices count only non-empty documents); stops
/// early when `each` returns `Ok(false)`.
pub(crate) fn documents(
    text: &str,
    limits: &Limits,
    mut each: impl FnMut(u32, Node) -> Result<bool, ParseError>,
) -> Result<(), ParseError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut produced = 0usize;
    let mut index = 0u32;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| ParseError::Syntax {
            format: Format::Yaml,
            line: to_u32(e.marker().line()),
            column: to_u32(e.marker().col() + 1),
            expected: e.info().to_owned(),
        })?;
        let at = mark(&span);
        let too_deep = ParseError::TooDeep {
            limit: limits.max_depth,
            line: at.line,
            column: at.column,
        };
        let (node, anchor, alias) = match event {
            Event::DocumentStart(_) => {
                anchors.clear();
                continue;
            }
            Event::DocumentEnd => {
                if let Some(node) = root.take() {
                    if !node.is_empty_document() {
                        if !each(index, node)? {
                            return Ok(());
                        }
                        index += 1;
                    }
                }
                continue;
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart => continue,
            Event::Scalar(value, style, anchor, tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                let kind = Kind::Scalar {
                    text: value.into_owned(),
                    plain,
                    tag: tag.map(|t| t.into_owned()),
                };
                (leaf(at, kind), anchor, false)
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(too_deep);
                }
                stack.push(Frame::Seq {
                    mark: at,
                    anchor,
                    items: Vec::new(),
                });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(too_deep);
                }
                stack.push(Frame::Map {
                    mark: at,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    mark,
                    anchor,
                    items,
                }) => {
                    let (size, height) = measure(items.iter());
                    let node = Node {
                        mark,
                        kind: Rc::new(Kind::Seq(items)),
                        size,
                        height,
                    };
                    (node, anchor, false)
                }
                Some(Frame::Map {
                    mark,
                    anchor,
                    entries,
                    ..
                }) => {
                    let (size, height) = measure(entries.iter().flat_map(|(k, v)| [k, v]));
                    let node = Node {
                        mark,
                        kind: Rc::new(Kind::Map(entries)),
                        size,
                        height,
                    };
                    (node, anchor, false)
                }
                None => continue,
            },
            Event::Alias(id) => {
                let target = anchors.get(&id).ok_or_else(|| ParseError::Syntax {
                    format: Format::Yaml,
                    line: at.line,
                    column: at.column,
                    expected: "an alias to an anchor defined earlier in the document".into(),
                })?;
                produced = produced.saturating_add(target.size);
                if produced > limits.max_yaml_nodes {
                    return Err(ParseError::TooManyNodes {
                        limit: limits.max_yaml_nodes,
                        line: at.line,
                        column: at.column,
                    });
                }
                if stack.len() + target.height > limits.max_depth {
                    return Err(too_deep);
                }
                let node = Node {
                    mark: at,
                    ..target.clone()
                };
                (node, 0, true)
            }
        };
        // An alias was counted with its whole subtree above.
        if !alias {
            produced = produced.saturating_add(1);
            if produced > limits.max_yaml_nodes {
                return Err(ParseError::TooManyNodes {
                    limit: limits.max_yaml_nodes,
                    line: at.line,
                    column: at.column,
                });
            }
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => root = Some(node),
        }
    }
    Ok(())
}

fn leaf(mark: Position, kind: Kind) -> Node {
    Node {
        mark,
        kind: Rc::new(kind),
        size: 1,
        height: 0,
    }
}

fn measure<'a>(children: impl Iterator<Item = &'a Node>) -> (usize, usize) {
    let (mut size, mut height) = (1usize, 0usize);
    for child in children {
        size = size.saturating_add(child.size);
        height = height.max(child.height + 1);
    }
    (size, height)
}
