/**
 * Renders a Markdown tree (parsed on the server by mdast-util-from-markdown) as React elements.
 * Only text-level Markdown is shown: headings, paragraphs, lists, emphasis, links and code. Raw
 * HTML in the source is shown as text, never interpreted. The page's own h1 comes from the text.
 */
import type { ReactNode } from "react";
import type { Content, Root } from "mdast";

function children(nodes: Content[] | undefined): ReactNode[] {
  return (nodes ?? []).map((node, i) => <MarkdownNode key={i} node={node} />);
}

function safeHref(url: string): string | undefined {
  return /^(https?:|mailto:|tel:|\/|#)/i.test(url) ? url : undefined;
}

function MarkdownNode({ node }: { node: Content }): ReactNode {
  switch (node.type) {
    case "heading": {
      const Tag = `h${Math.min(node.depth, 6)}` as "h1";
      return <Tag>{children(node.children)}</Tag>;
    }
    case "paragraph":
      return <p>{children(node.children)}</p>;
    case "list":
      return node.ordered ? (
        <ol className="list-decimal pl-6">{children(node.children)}</ol>
      ) : (
        <ul className="list-disc pl-6">{children(node.children)}</ul>
      );
    case "listItem":
      // A tight list item's paragraph is shown inline.
      return (
        <li>
          {node.children.length === 1 && node.children[0]?.type === "paragraph"
            ? children(node.children[0].children)
            : children(node.children)}
        </li>
      );
    case "strong":
      return <strong>{children(node.children)}</strong>;
    case "emphasis":
      return <em>{children(node.children)}</em>;
    case "link":
      return <a href={safeHref(node.url)}>{children(node.children)}</a>;
    case "inlineCode":
      return <code>{node.value}</code>;
    case "code":
      return (
        <pre>
          <code>{node.value}</code>
        </pre>
      );
    case "blockquote":
      return <blockquote>{children(node.children)}</blockquote>;
    case "break":
      return <br />;
    case "thematicBreak":
      return <hr />;
    case "text":
    case "html":
      return node.value;
    default:
      return null;
  }
}

export function Markdown({ tree }: { tree: Root }) {
  return <div className="prose max-w-3xl">{children(tree.children)}</div>;
}
