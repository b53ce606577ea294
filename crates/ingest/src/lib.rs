//! Article ingestion (being written).
