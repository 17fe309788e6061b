//! `sitemap.xml`, written when the book has a `base-url`: every page the
//! site holds, as absolute URLs.

use super::body;
use crate::model::Handbook;
use crate::site_files::HOME;

pub(super) fn sitemap(hb: &Handbook, base: &str) -> String {
    let mut urls = vec![HOME.to_owned()];
    urls.extend(hb.own_pages().map(|(_, doc)| doc.url.clone()));
    urls.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str("  <url><loc>");
        crate::html::escape_text(&mut xml, &format!("{base}{}", body::relative("", &url)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
