//! `sitemap.xml`, written when the book has a `base-url`: every page the
//! site holds, as absolute URLs.

use super::body;
use crate::model::{DocId, Handbook};
use crate::site_files::HOME;

pub(super) fn sitemap(hb: &Handbook, base: &str) -> String {
    let mut urls = vec![HOME.to_owned()];
    for (i, doc) in hb.docs.iter().enumerate() {
        let id = DocId(i as u32);
        if Some(id) != hb.home && !hb.unplaced.contains(&id) {
            urls.push(doc.url.clone());
        }
    }
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
