//! Organizations and posts: create, update, read, and list by classification, parent and name.
