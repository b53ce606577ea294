//! Relay global ids: `base64("Type:uuid")`, so any id names its type and `node(id:)` can find
//! the record.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::error::{ApiResult, Code, api_error};

/// The global id of a record of `type_name` with this UUID.
#[must_use]
pub fn global_id(type_name: &str, uuid: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{uuid}")))
}

/// The type name and UUID inside a global id.
pub fn decode(id: &ID) -> ApiResult<(String, Uuid)> {
    let invalid = || {
        api_error(
            Code::BadUserInput,
            format!("{:?} is not a Gazette id", id.as_str()),
        )
    };
    if id.len() > 200 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(id.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (type_name, uuid) = text.split_once(':').ok_or_else(invalid)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| invalid())?;
    Ok((type_name.to_owned(), uuid))
}

/// The UUID inside a global id that must name a record of `type_name`.
pub fn expect(id: &ID, type_name: &str) -> ApiResult<Uuid> {
    let (found, uuid) = decode(id)?;
    if found == type_name {
        Ok(uuid)
    } else {
        Err(api_error(
            Code::BadUserInput,
            format!(
                "id {:?} names a {found}, but a {type_name} is expected",
                id.as_str()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip_and_name_their_type() {
        let uuid = Uuid::now_v7();
        let id = global_id("Person", uuid);
        assert_eq!(decode(&id).unwrap(), ("Person".to_owned(), uuid));
        assert_eq!(expect(&id, "Person").unwrap(), uuid);
        assert!(expect(&id, "Post").is_err());
        assert!(decode(&ID("not base64!".into())).is_err());
    }
}
