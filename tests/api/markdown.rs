//! Snapshots of the Markdown rendering: a change to the HTML shows up in review.

use versus::content::markdown::render;

#[test]
fn a_body_with_every_feature_renders_as_before() {
    let body = "\
Intro with a claim.[^doc] and ~~strike~~ and \"quotes\" -- dashes.

## Heading with `code` {#custom}

| A | B |
|---|---|
| 1 | 2 |

### Heading with `code`

A [link](/topics/x#y) and an [external one](https://example.com).

```python
def f(x):
    return x * 2
```

## Heading with `code`

Cited again.[^doc]
";
    let rendered = render(body, 1, &["doc".to_owned()]);
    insta::assert_snapshot!(rendered.html);
    insta::assert_debug_snapshot!(rendered.toc);
}
