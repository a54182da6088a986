package dev.parley.schemas.topics;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.dlq.DeadLetter;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.avro.presence.PresenceRecord;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.routing.RouteRecord;
import dev.parley.avro.routing.RoutedRecord;
import dev.parley.avro.typing.TypingEvent;
import dev.parley.avro.user.UserEvent;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Each Avro-valued topic with the generated class of its value. Keys are UTF-8 strings (see docs/topics.md). */
public enum Contract {
    COMMANDS(CommandEnvelope.class, CommandEnvelope.getClassSchema(), TopicNames::commands),
    LOG(ChannelEvent.class, ChannelEvent.getClassSchema(), TopicNames::log),
    RESULTS(CommandResult.class, CommandResult.getClassSchema(), TopicNames::results),
    DEAD_LETTERS(DeadLetter.class, DeadLetter.getClassSchema(), TopicNames::deadLetters),
    USER_EVENTS(UserEvent.class, UserEvent.getClassSchema(), TopicNames::userEvents),
    PRESENCE(PresenceRecord.class, PresenceRecord.getClassSchema(), TopicNames::presence),
    TYPING(TypingEvent.class, TypingEvent.getClassSchema(), TopicNames::typing),
    ROUTES(RouteRecord.class, RouteRecord.getClassSchema(), TopicNames::routes),
    DELIVERIES(RoutedRecord.class, RoutedRecord.getClassSchema(), TopicNames::deliveries),
    NOTIFICATIONS(Notification.class, Notification.getClassSchema(), TopicNames::notifications),
    NOTIFICATION_DEAD_LETTERS(NotificationDeadLetter.class, NotificationDeadLetter.getClassSchema(), TopicNames::notificationDeadLetters);

    private final Class<? extends SpecificRecord> valueClass;
    private final Schema valueSchema;
    private final Function<TopicNames, String> topic;

    Contract(Class<? extends SpecificRecord> valueClass, Schema valueSchema, Function<TopicNames, String> topic) {
        this.valueClass = valueClass;
        this.valueSchema = valueSchema;
        this.topic = topic;
    }

    public Class<? extends SpecificRecord> valueClass() {
        return valueClass;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    public String topic(TopicNames names) {
        return topic.apply(names);
    }

    /** The value subject under TopicNameStrategy. */
    public String valueSubject(TopicNames names) {
        return topic(names) + "-value";
    }
}
