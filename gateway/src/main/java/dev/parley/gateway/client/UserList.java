package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.Limits;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A list of user ids in a request ({@code presence_watch}, the {@code hello}'s {@code presence}): distinct, in order. */
final class UserList {

    /** Far above any configured watch limit: bounds the work of reading the list before the limit is applied. */
    static final int MAX_READ = 10_000;

    private UserList() {
    }

    static List<String> of(Fields f, String field) throws Invalid {
        JsonNode users = f.node(field);
        if (users == null || !users.isArray()) {
            throw f.invalid("\"" + field + "\" must be an array of user ids");
        }
        if (users.size() > MAX_READ) {
            throw f.invalid("\"" + field + "\" lists " + users.size() + " users; at most " + MAX_READ + " are read");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode u : users) {
            if (!u.isTextual() || !Limits.isValidToken(u.textValue())) {
                throw f.invalid("\"" + field + "\" must be user ids (1-" + Limits.MAX_ID_CHARS + " characters)");
            }
            out.add(u.textValue());
        }
        return new ArrayList<>(out);
    }
}
