//! What templates see: plain serialisable views, never domain types, so a
//! theme depends on a small documented shape (docs/themes.md) and the model
//! can change behind it. Every string here is text; templates escape it.
//! Fields ending in `_html` are markup made by sopbook and marked safe.

use serde::Serialize;

/// The same on every page.
#[derive(Debug, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Relative path from the page to the site root: `""` or `"../"`.
    pub root: String,
    /// Relative URL of the home page.
    pub home: String,
    /// Relative URL of the theme's files folder, ending in `/`.
    pub theme: String,
    pub generator: &'static str,
    /// The book has a search index (`build.search`).
    pub search: bool,
    /// `[extra]` of book.toml: the book's own keys, types kept.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `[build] extra-css` and `extra-js`: relative URLs, in order.
    pub extra_css: Vec<String>,
    pub extra_js: Vec<String>,
    /// `[build] favicon`, or the theme's `favicon.svg`.
    pub favicon: IconView,
    /// `[build] logo`.
    pub logo: Option<LogoView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct IconView {
    pub url: String,
    /// `image/svg+xml`, `image/png` or `image/x-icon`.
    #[serde(rename = "type")]
    pub mime: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct LogoView {
    pub url: String,
    /// `[build] logo-alt`; empty by default, since the title stands beside
    /// the logo in the same link.
    pub alt: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Crumb {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageMeta {
    /// `home`, `process`, `sop`, `page`, `reviews` or `404`.
    pub kind: &'static str,
    /// The page's path from the site root (`submit-payroll/run-payroll.html`).
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    pub canonical: Option<String>,
    pub edit_url: Option<String>,
    pub breadcrumbs: Vec<Crumb>,
    /// Superseded or retired: the banner at the top of the page.
    pub status: Option<StatusView>,
    /// Revision, approval, roles: shown in the page's header.
    pub control: Option<ControlView>,
    /// `[extra]` of the document's front matter (on the home page,
    /// index.md's), types kept; empty on the pages sopbook makes itself.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// "On this page": the headings of an SOP, process or page that has
    /// three or more (h3s under their h2), and "Steps" on an SOP; empty
    /// otherwise, or with `[build] page-contents = false`.
    pub contents: Vec<ContentsEntry>,
    /// On a process's page and its SOPs': the relative URL of the script
    /// of the process's branches and SOPs in the sidebar
    /// (`nav/<process>.js`), loaded with the page so that the sidebar
    /// opens on it at once.
    pub nav: Option<String>,
}

/// One line of "On this page".
#[derive(Debug, Serialize)]
pub(crate) struct ContentsEntry {
    /// The id it links to (`#…`).
    pub id: String,
    pub text: String,
    /// Subheadings under it.
    pub children: Vec<ContentsEntry>,
}

/// A commit, as a page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct CommitView {
    pub date: DateView,
    /// The short hash.
    pub short: String,
    /// The commit on the git host, with `[build] commit-url`.
    pub url: Option<String>,
    pub author: String,
    pub subject: String,
}

/// One line of an SOP's History: a commit of its own, or of an SOP it
/// embeds (`via`).
#[derive(Debug, Serialize)]
pub(crate) struct HistoryEntry {
    /// A [`CommitView`], made into a template value once per build and
    /// shared by every page that lists the commit.
    pub commit: tera::Value,
    pub via: Option<LinkView>,
}

/// "Changes in this revision": the steps compared with the previous
/// revision.
#[derive(Debug, Serialize)]
pub(crate) struct RevisionView {
    /// `revision 3`, or `the previous version` for an SOP without
    /// `revision`.
    pub against: String,
    pub commit: CommitView,
    pub steps: Vec<StepChangeView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepChangeView {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// The step's number: now, or in the old version for a removed one.
    pub number: usize,
    /// The step's words, escaped; a changed step's marked with `<del>`
    /// and `<ins>`.
    pub html: String,
}

/// Why a page is no longer in use.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusView {
    /// `superseded` or `retired`.
    pub kind: &'static str,
    /// The current document that replaces it.
    pub replacement: Option<LinkView>,
    /// When it was retired.
    pub since: Option<DateView>,
}

/// Document control facts (SPEC §8); `None` on a page with none.
#[derive(Debug, Serialize)]
pub(crate) struct ControlView {
    /// As written: `3`, `B`.
    pub revision: Option<String>,
    pub effective: Option<DateView>,
    /// The effective date is after today: "Takes effect on …".
    pub effective_future: bool,
    pub approved_by: Option<String>,
    pub approved: Option<DateView>,
    /// Each role, linked to its entry on roles.html.
    pub roles: Vec<RoleRef>,
}

/// A role a document names, and where roles.html lists it: `None` when
/// no current document names it (only superseded or retired ones do).
#[derive(Debug, Serialize)]
pub(crate) struct RoleRef {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView {
    pub title: String,
    pub url: String,
    /// The page it links to is a draft (built with `--drafts`).
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EquipmentView {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProcessCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub outcome: String,
    pub owner: Option<String>,
    pub automated: bool,
    pub equipment: Vec<EquipmentView>,
    pub branch_count: usize,
    pub sop_count: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct GroupView {
    pub name: Option<String>,
    pub processes: Vec<ProcessCard>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HomeView {
    pub intro_html: Option<String>,
    pub groups: Vec<GroupView>,
    /// More than [`HOME_CARDS`] processes: the default theme lists them
    /// one line each (a table) instead of as cards.
    pub compact: bool,
    pub pages: Vec<LinkView>,
    pub process_count: usize,
    pub sop_count: usize,
    /// SOPs whose review is due today or earlier.
    pub overdue_count: usize,
    /// Relative URL of `reviews.html`.
    pub reviews_url: String,
    /// Relative URL of `changes.html`, when the history is read.
    pub changes_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SopCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub owner: Option<String>,
    pub format: &'static str,
    pub steps: usize,
    pub reviewed: Option<DateView>,
    pub review_due: Option<DateView>,
    /// The review is due today or earlier.
    pub overdue: bool,
    /// A draft, built with `--drafts`: listed with a "Draft" badge.
    pub draft: bool,
    /// Set on a superseded or retired SOP (the process page's "Superseded
    /// and retired" list).
    pub status: Option<StatusView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
    /// `2026-09-01`, for `<time datetime>`.
    pub iso: String,
    /// `1 September 2026`.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BranchView {
    pub id: String,
    /// Anchor of the branch on its process page.
    pub anchor: String,
    pub when: String,
    pub sops: Vec<SopCard>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProcessView {
    pub id: String,
    pub title: String,
    pub outcome: String,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub automated: bool,
    pub equipment: Vec<EquipmentView>,
    pub body_html: String,
    pub branches: Vec<BranchView>,
    /// SOPs not tied to a branch.
    pub loose: Vec<SopCard>,
    pub branch_map_html: Option<String>,
    pub sop_count: usize,
    /// Other processes whose pages or SOPs link to this process or its SOPs.
    pub linked_from: Vec<LinkView>,
    /// Its superseded and retired SOPs.
    pub former: Vec<SopCard>,
}

/// `<process>/print.html`: the process, then every current SOP of it in
/// branch order, each with its document-control block.
#[derive(Debug, Serialize)]
pub(crate) struct PrintView {
    pub process: ProcessView,
    pub sops: Vec<PrintSop>,
    /// Where the current version of the process page is.
    pub current_url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PrintSop {
    pub id: String,
    pub title: String,
    /// Its `id` on the print page.
    pub anchor: String,
    /// The branch it walks: its `when`.
    pub when: Option<String>,
    pub owner: Option<String>,
    pub format: &'static str,
    pub control: Option<ControlView>,
    pub reviewed: Option<DateView>,
    pub review_due: Option<DateView>,
    /// Its newest commit, with history on.
    pub last_changed: Option<CommitView>,
    /// Its body, ids made unique on the print page.
    pub body_html: String,
    /// Where the current version is: an absolute URL with `base-url`, else
    /// its path in the site.
    pub current_url: String,
}

/// `changes.html`: the book's last content commits, newest first.
#[derive(Debug, Serialize)]
pub(crate) struct ChangesView {
    pub commits: Vec<ChangeView>,
    /// Commits older than those listed.
    pub older: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct ChangeView {
    pub commit: CommitView,
    /// Its anchor on changes.html: `c-<short hash>`.
    pub anchor: String,
    /// The pages it changed (the first [`CHANGE_ITEMS_SHOWN`]).
    pub pages: Vec<LinkView>,
    /// Files it changed that are no page now (deleted, or assets).
    pub files: Vec<String>,
    /// Pages that show a changed page through an embed.
    pub through: Vec<LinkView>,
    /// How many more pages, files and embedding pages it changed than are
    /// listed: `pages_more`, `files_more`, `through_more`.
    pub pages_more: usize,
    pub files_more: usize,
    pub through_more: usize,
}

/// `roles.html`: every role, with the SOPs that name it, by process.
#[derive(Debug, Serialize)]
pub(crate) struct RolesView {
    /// This page's part of the list.
    pub roles: Vec<RoleView>,
    /// On the first of several pages: every role, its number of documents
    /// and where its list starts.
    pub index: Vec<RoleSummary>,
    /// When the list takes more than one page.
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RoleView {
    pub name: String,
    /// Its anchor on roles.html (on the page its list starts on).
    pub anchor: String,
    /// Runs on from the page before: its heading takes no anchor.
    pub continued: bool,
    pub processes: Vec<RoleProcess>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RoleProcess {
    /// `None` for pages and processes that name the role themselves.
    pub process: Option<LinkView>,
    /// Runs on from the page before.
    pub continued: bool,
    pub docs: Vec<LinkView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RoleSummary {
    pub name: String,
    /// Where its list starts.
    pub url: String,
    /// Documents that name it.
    pub docs: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct MediaView {
    /// `local` (played in the page) or `hosted` (a link to another host).
    pub source: &'static str,
    pub url: String,
    /// For local files: `video` or `audio` or `file`.
    pub element: &'static str,
    /// Host name of a hosted video, for the link text.
    pub host: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct OtherPath {
    pub when: Option<String>,
    pub branch: Option<String>,
    /// The first [`OTHER_PATH_SOPS`] SOPs of the path: [`SopCard`]s, made
    /// into template values once and shared between pages.
    pub sops: Vec<tera::Value>,
    /// How many more the process page lists.
    pub more: usize,
}

/// SOPs an SOP page lists per other path: a process with hundreds of SOPs
/// must not make every one of its pages list all the others.
pub(crate) const OTHER_PATH_SOPS: usize = 12;

/// Commits `changes.html` and `changes.xml` list.
pub(crate) const CHANGES_SHOWN: usize = 100;
/// The pages, files and embedding pages listed for one change on
/// `changes.html`; "and N more" says how many others it has (a commit that
/// touched every page would otherwise list the whole book).
pub(crate) const CHANGE_ITEMS_SHOWN: usize = 50;
/// Up to this many processes the home page shows them as cards.
pub(crate) const HOME_CARDS: usize = 100;

/// Entries an SOP's History shows; the rest are counted.
pub(crate) const HISTORY_SHOWN: usize = 30;

#[derive(Debug, Serialize)]
pub(crate) struct SopView {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub format: &'static str,
    pub media: Option<MediaView>,
    pub process: LinkView,
    pub process_owner: Option<String>,
    pub branch: Option<BranchRef>,
    /// The process declares branches: "Other paths" names them, and SOPs
    /// outside them are "not tied to a branch".
    pub branched: bool,
    pub reviewed: Option<DateView>,
    pub review_due: Option<DateView>,
    /// The review is due today or earlier: show the "review due" badge.
    pub review_overdue: bool,
    pub review_every: Option<String>,
    pub steps: usize,
    pub body_html: String,
    pub other_paths: Vec<OtherPath>,
    /// The SOPs before and after this one in its process's order.
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// Documents that link to or embed this SOP ("Used by").
    pub used_by: Vec<UseView>,
    /// Documents this SOP links to or embeds ("Uses").
    pub uses: Vec<UseView>,
    /// `draft = true`, built with `--drafts`: the page says so.
    pub draft: bool,
    /// Its newest commit ("Last changed"), with history on: a shared
    /// [`CommitView`] value, as in [`HistoryEntry`].
    pub last_changed: Option<tera::Value>,
    /// Its commits and those of the SOPs it embeds, newest first, at most
    /// [`HISTORY_SHOWN`].
    pub history: Vec<HistoryEntry>,
    /// How many older entries are not shown.
    pub history_more: usize,
    /// Its steps compared with its previous revision, with history on.
    pub changes: Option<RevisionView>,
    /// The SOP's revision as written (`revision = 3` or `"B"`), for the run
    /// record (`data-revision`).
    pub revision: Option<String>,
    /// The short hash of the last commit that changed the SOP, for the run
    /// record (`data-commit`), with history on.
    pub last_commit: Option<String>,
}

/// A document that uses, or is used by, the page: from the link graph.
#[derive(Debug, Serialize)]
pub(crate) struct UseView {
    pub title: String,
    pub url: String,
    /// `process`, `sop` or `page`.
    pub kind: &'static str,
    /// The title of the process the document belongs to (for an SOP, its
    /// process; for a process, itself; none for a page).
    pub process: Option<String>,
    /// `link` or `embed` (an embed wins when a page does both).
    pub relation: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct BranchRef {
    pub id: String,
    pub when: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PlainView {
    pub id: String,
    pub title: String,
    /// False when the body starts with its own level-1 heading.
    pub show_title: bool,
    pub body_html: String,
    /// Documents that link to or embed this page.
    pub used_by: Vec<UseView>,
    /// `draft = true`, built with `--drafts`: the page says so.
    pub draft: bool,
}

/// `reviews.html`.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewsView {
    /// The date the reviews were checked against.
    pub today: DateView,
    pub total: usize,
    pub overdue: usize,
    /// SOPs with no `reviewed` date.
    pub never: usize,
    /// This page's part of the list by owner: owners with overdue reviews
    /// first, then alphabetical; SOPs with no owner last. An owner whose
    /// SOPs run on from the page before is `continued`.
    pub groups: Vec<ReviewGroup>,
    /// When the list takes more than one page: every page, and the links
    /// to the one before and after this one.
    pub pagination: Option<Pagination>,
    /// On the first of several pages: every owner with their counts and
    /// where their list starts.
    pub owners: Vec<OwnerSummary>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReviewGroup {
    pub owner: Option<String>,
    /// The id of the owner's heading, where their list starts; `None` on
    /// the pages it runs on to.
    pub anchor: Option<String>,
    /// Runs on from the page before.
    pub continued: bool,
    /// Overdue first, then by due date, then never reviewed.
    pub sops: Vec<ReviewRow>,
}

/// One owner's line in the index of a list of several pages.
#[derive(Debug, Serialize)]
pub(crate) struct OwnerSummary {
    pub owner: Option<String>,
    /// Where the owner's list starts (`reviews/3.html#owner-finance`).
    pub url: String,
    pub total: usize,
    pub overdue: usize,
    pub never: usize,
}

/// The pages of a list that takes several.
#[derive(Debug, Serialize)]
pub(crate) struct Pagination {
    /// This page's number, from 1.
    pub current: usize,
    /// Every page, in order: `{number, url}`.
    pub pages: Vec<PageLink>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReviewRow {
    pub title: String,
    pub url: String,
    pub process: LinkView,
    pub reviewed: Option<DateView>,
    pub review_due: Option<DateView>,
    pub review_every: Option<String>,
    pub overdue: bool,
}
