package io.inctrlstream.job.kafka.internal;

import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.io.RecordHeader;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Hands every Kafka record on as a {@link RawRecord}, bytes, headers and provenance, without
 * interpreting it: this deserializer cannot fail on a record's content, so a poison record never
 * restarts the job (the job decodes and dead-letters it instead).
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        out.collect(
                new RawRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        record.value(),
                        record.timestamp(),
                        headers(record)));
    }

    private static List<RecordHeader> headers(ConsumerRecord<byte[], byte[]> record) {
        Header[] headers = record.headers().toArray();
        if (headers.length == 0) {
            return List.of();
        }
        List<RecordHeader> copied = new ArrayList<>(headers.length);
        for (Header header : headers) {
            copied.add(new RecordHeader(header.key(), header.value()));
        }
        return copied;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
