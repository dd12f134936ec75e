//! HTML that cannot forget to escape.
//!
//! [`Html`] is markup. It has three ways in: `&'static str` markup written in this crate's
//! source ([`Html::raw`]), text of any kind, which is always escaped ([`Render`] for strings
//! and numbers), and other `Html`. The [`markup!`] macro writes its string literals as markup
//! and escapes every other argument, so a label that becomes user data one day stays safe.

use std::fmt::Write as _;

use shared::labels::Lang;

/// Markup in which every piece of text was escaped on the way in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Html(String);

impl Html {
    pub(crate) fn new() -> Html {
        Html::default()
    }

    /// Markup as written in the source: the one escape hatch, and it takes only constants.
    pub(crate) fn raw(markup: &'static str) -> Html {
        Html(markup.to_owned())
    }

    /// Appends text (escaped) or other markup.
    pub(crate) fn push(&mut self, part: impl Render) {
        part.render(&mut self.0);
    }

    /// Appends markup written in the source.
    pub(crate) fn push_raw(&mut self, markup: &'static str) {
        self.0.push_str(markup);
    }

    /// The parts, one after the other, with `separator` between them.
    pub(crate) fn join(parts: impl IntoIterator<Item = Html>, separator: &'static str) -> Html {
        let mut out = Html::new();
        for (index, part) in parts.into_iter().enumerate() {
            if index > 0 {
                out.push_raw(separator);
            }
            out.push(part);
        }
        out
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// Something that can go into [`Html`]: text is escaped, markup is kept.
pub(crate) trait Render {
    fn render(&self, out: &mut String);
}

impl Render for str {
    fn render(&self, out: &mut String) {
        for c in self.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                _ => out.push(c),
            }
        }
    }
}

impl Render for String {
    fn render(&self, out: &mut String) {
        self.as_str().render(out);
    }
}

impl Render for Html {
    fn render(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

impl<T: Render + ?Sized> Render for &T {
    fn render(&self, out: &mut String) {
        (**self).render(out);
    }
}

macro_rules! render_number {
    ($($number:ty),*) => {
        $(impl Render for $number {
            fn render(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        })*
    };
}

render_number!(u8, u16, u32, u64, usize, i32, i64);

/// Builds [`Html`] from its arguments: string literals are markup, everything else is
/// escaped text (or `Html`, kept as it is).
macro_rules! markup {
    ($($part:tt)*) => {{
        let mut out = $crate::handlers::portal::html::Html::new();
        $crate::handlers::portal::html::markup_into!(out; $($part)*);
        out
    }};
}

/// [`markup!`], appending to an existing `Html`.
macro_rules! markup_into {
    ($out:ident;) => {};
    ($out:ident; $raw:literal $(, $($rest:tt)*)?) => {{
        $out.push_raw($raw);
        $crate::handlers::portal::html::markup_into!($out; $($($rest)*)?);
    }};
    ($out:ident; $part:expr $(, $($rest:tt)*)?) => {{
        $out.push(&$part);
        $crate::handlers::portal::html::markup_into!($out; $($($rest)*)?);
    }};
}

pub(crate) use {markup, markup_into};

/// Percent-encodes a query value.
pub(crate) fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `path` with the language kept in its query.
pub(crate) fn with_lang(path: &str, lang: Lang) -> String {
    match (lang, path.contains('?')) {
        (Lang::Zh, _) => path.to_owned(),
        (Lang::En, true) => format!("{path}&lang=en"),
        (Lang::En, false) => format!("{path}?lang=en"),
    }
}

/// The paragraph shown instead of an empty table.
pub(crate) fn empty(text: &str) -> Html {
    markup!("<p class=\"empty\">", text, "</p>")
}

/// The start of a table: its header row and the opening `<tbody>`.
pub(crate) fn table_head(headers: &[&str]) -> Html {
    let mut out = Html::raw("<table><thead><tr>");
    for header in headers {
        markup_into!(out; "<th>", header, "</th>");
    }
    out.push_raw("</tr></thead><tbody>");
    out
}

/// The hidden field that keeps English through a search form.
pub(crate) fn lang_field(lang: Lang) -> Html {
    match lang {
        Lang::Zh => Html::new(),
        Lang::En => Html::raw("<input type=\"hidden\" name=\"lang\" value=\"en\">"),
    }
}

/// The page around `body`: one small stylesheet, no script.
pub(crate) fn page(lang: Lang, title: &str, path: &str, body: Html) -> Html {
    let other = match lang {
        Lang::Zh => {
            let separator = if path.contains('?') { "&" } else { "?" };
            markup!(
                "<a href=\"",
                path,
                Html::raw(separator),
                "lang=en\" lang=\"en\">English</a>"
            )
        }
        Lang::En => {
            let plain = path
                .replace("?lang=en&", "?")
                .replace("&lang=en", "")
                .replace("?lang=en", "");
            markup!("<a href=\"", plain, "\" lang=\"zh\">中文</a>")
        }
    };
    let nav = Html::join(
        [
            ("/public", lang.pick("首页", "Home")),
            ("/public/results", lang.pick("检查结果", "Results")),
            ("/public/plans", lang.pick("年度抽查计划", "Annual plans")),
            ("/public/draws", lang.pick("抽取记录", "Draws")),
            ("/public/checklist", lang.pick("抽查事项清单", "Checklist")),
        ]
        .into_iter()
        .map(|(href, label)| markup!("<a href=\"", with_lang(href, lang), "\">", label, "</a>")),
        " ",
    );
    let site = lang.pick(
        "县生态环境局 · 双随机、一公开",
        "County Ecology and Environment Bureau · Random inspections, public results",
    );
    markup!(
        "<!doctype html><html lang=\"",
        lang.html_lang(),
        "\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
        title,
        " · ",
        site,
        "</title><link rel=\"stylesheet\" href=\"/portal.css\"></head><body><header><p class=\"site\">",
        site,
        "</p><nav>",
        nav,
        " <span class=\"lang\">",
        other,
        "</span></nav></header><main><h1>",
        title,
        "</h1>",
        body,
        "</main><footer>",
        lang.pick(
            "抽取结果可由任何人复核：每次抽取公布封存哈希、熵、种子与完整输入。",
            "Anyone can verify a draw: each publishes its sealed hash, entropy, seed and full input."
        ),
        " · <a href=\"/\">",
        lang.pick("工作人员入口", "Staff sign-in"),
        "</a></footer></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_literals_are_markup() {
        let name = "<a href=\"x\">'&'</a>";
        let count = 7_u32;
        assert_eq!(
            markup!("<td>", name, "</td>", count).into_string(),
            "<td>&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</td>7"
        );
        let inner = markup!("<b>", "&", "</b>");
        assert_eq!(
            markup!("<i>", inner, "</i>").into_string(),
            "<i><b>&</b></i>"
        );
        assert_eq!(url_encode("化工 a&b"), "%E5%8C%96%E5%B7%A5%20a%26b");
    }

    #[test]
    fn language_links_keep_the_query() {
        assert_eq!(
            with_lang("/public/results?page=2", Lang::En),
            "/public/results?page=2&lang=en"
        );
        assert_eq!(with_lang("/public", Lang::En), "/public?lang=en");
        assert_eq!(with_lang("/public", Lang::Zh), "/public");
    }
}
