// Stores, finds and retrieves instances through dicomflow with the dicomweb-client package, then writes what
// it got to $OUTPUT_DIR for the Java test to check. Configuration comes from the environment:
//   DICOMWEB_URL           e.g. http://127.0.0.1:8081/dicomweb
//   DICOMWEB_AUTHORIZATION the Authorization header value
//   INPUT_FILES            DICOM files to store, separated by the platform path delimiter
//   PATIENT_ID             the Patient ID of the stored files (the study is found by it)
//   OUTPUT_DIR             where results go (result.json and the retrieved instance)
'use strict';

// dicomweb-client is written for browsers: it needs XMLHttpRequest, which Node does not have
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const path = require('path');
const dwc = require('dicomweb-client');

const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';
const SOP_UID = '00080018';

function value(attributes, tag) {
  const attribute = attributes[tag];
  return attribute && attribute.Value ? attribute.Value[0] : undefined;
}

function toArrayBuffer(buffer) {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

async function main() {
  const client = new dwc.api.DICOMwebClient({
    url: process.env.DICOMWEB_URL,
    headers: { Authorization: process.env.DICOMWEB_AUTHORIZATION },
  });
  const files = process.env.INPUT_FILES.split(path.delimiter);
  const output = process.env.OUTPUT_DIR;

  await client.storeInstances({ datasets: files.map((file) => toArrayBuffer(fs.readFileSync(file))) });

  const studies = await client.searchForStudies({ queryParams: { PatientID: process.env.PATIENT_ID } });
  const studyUid = value(studies[0], STUDY_UID);
  const series = await client.searchForSeries({ studyInstanceUID: studyUid });
  const seriesUid = value(series[0], SERIES_UID);
  const instances = await client.searchForInstances({ studyInstanceUID: studyUid, seriesInstanceUID: seriesUid });
  const sopUid = value(instances[0], SOP_UID);

  const retrieved = await client.retrieveInstance({
    studyInstanceUID: studyUid, seriesInstanceUID: seriesUid, sopInstanceUID: sopUid,
  });
  fs.writeFileSync(path.join(output, 'retrieved.dcm'), Buffer.from(retrieved));
  const metadata = await client.retrieveInstanceMetadata({
    studyInstanceUID: studyUid, seriesInstanceUID: seriesUid, sopInstanceUID: sopUid,
  });

  let othersError = null;
  try {
    // a study that is not the caller's, or does not exist, must not be retrievable
    await client.retrieveStudyMetadata({ studyInstanceUID: '1.2.3.4.5.6.7.8.9' });
  } catch (error) {
    othersError = error.status || String(error);
  }

  fs.writeFileSync(path.join(output, 'result.json'), JSON.stringify({
    studies: studies.length,
    studyUid,
    series: series.length,
    seriesUid,
    instances: instances.length,
    sopUid,
    metadataSopUid: value(metadata[0], SOP_UID),
    metadataPatientId: value(metadata[0], '00100020'),
    missingStudyStatus: othersError,
  }, null, 2));
}

main().catch((error) => {
  console.error('interop failed:', error && (error.status ? `HTTP ${error.status} ${error.message}` : error.stack || error));
  process.exit(1);
});
